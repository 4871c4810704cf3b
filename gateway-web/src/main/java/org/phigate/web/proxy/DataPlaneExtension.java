// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ListenerInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.net.ssl.SSLContext;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.control.Journal;
import org.phigate.breakglass.control.BreakGlassActivation;
import org.phigate.breakglass.control.BreakGlassLedger;
import org.phigate.certificate.boundary.Certificates;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTableFeed;

/**
 * Installs the data plane in front of the WAR as an initial handler: it runs on the I/O thread, before any
 * servlet dispatch, for requests of the data-plane listener only ({@code phigate.data.port}, set by the
 * server configuration). It connects to the route registry on the first request, once the EJB is up.
 */
public final class DataPlaneExtension implements ServletExtension {

    private static final Logger LOG = Logger.getLogger(DataPlaneExtension.class.getName());
    /**
     * For the benchmark's comparison run only (bench/run sets it on the command line, never in the configuration):
     * the data plane records nothing. Logged as SEVERE at every start and shown by the health endpoint.
     */
    public static final String AUDIT_OFF = "phigate.audit.off-for-benchmark";
    /** Global, not java:app: the first request may come on an I/O thread, which has no application naming context. */
    private static final String ROUTES = "java:global/phigate/gateway-ejb/Routes";
    private static final String AUDIT = "java:global/phigate/gateway-ejb/AuditJournal!org.phigate.audit.boundary.AuditJournal";
    private static final String CERTIFICATES = "java:global/phigate/gateway-ejb/Certificates";
    private static final String BREAK_GLASS = "java:global/phigate/gateway-ejb/BreakGlassEvents!org.phigate.breakglass.boundary.BreakGlassEvents";

    private static final String PLANE_ATTRIBUTE = DataPlane.class.getName();

    /**
     * The data plane of this deployment for the admin API, connected to the registry now if no request has done so
     * yet (which also starts the health checks); empty while the registry or the audit journal is not up.
     */
    public static Optional<DataPlane> dataPlane(ServletContext context) {
        return context.getAttribute(PLANE_ATTRIBUTE) instanceof Connecting connecting ? Optional.ofNullable(connecting.connected())
                : Optional.empty();
    }

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext servletContext) {
        int dataPort = Integer.getInteger("phigate.data.port", 8443) + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        HttpHandler dataPlane;
        try {
            BearerTokens tokens = BearerTokens.of(OidcSettings.fromSystemProperties());
            servletContext.setAttribute(BearerTokens.ATTRIBUTE, tokens);
            Duration window = Duration.ofMinutes(Long.getLong("phigate.break-glass.window-minutes", 60));
            SSLContext backendTls = BackendTls.fromSystemProperties();
            dataPlane = new Connecting(journal -> new DataPlane(backendTls, DataPlaneExtension::poolTlsMaterial, tokens,
                    DataPlaneExtension::recordBreakGlass, window, journal, java.time.Clock.systemUTC()));
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "PHIG-0200 the data plane cannot start (" + e.getMessage() + "); every data-plane request gets 503", e);
            dataPlane = Problem.NOT_READY::sendUnrecorded;
        }
        HttpHandler data = dataPlane;
        servletContext.setAttribute(PLANE_ATTRIBUTE, data);
        if (data instanceof Connecting connecting) {
            deployment.addListener(new ListenerInfo(StopOnUndeploy.class, new ImmediateInstanceFactory<>(new StopOnUndeploy(connecting))));
            connectWhenReady(connecting);
        }
        deployment.addInitialHandlerChainWrapper(admin -> new PlaneSplit(dataPort, data, admin));
        LOG.info(() -> "PHIG-0102 data plane installed on port " + dataPort);
    }

    /** Called when a route table is published (off the request path): the inventory's material for a pool's tls. */
    private static Optional<PoolTlsMaterial> poolTlsMaterial(java.util.List<String> trust, Optional<String> clientCertificate) {
        try {
            return ((Certificates) new InitialContext().lookup(CERTIFICATES)).material(trust, clientCertificate);
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.SEVERE, "PHIG-0823 the certificate inventory is not available", e);
            return Optional.empty();
        }
    }

    /** Called on a worker thread; the EJB commits the event in its own transaction before this returns. */
    private static void recordBreakGlass(BreakGlassActivation activation) {
        try {
            ((BreakGlassLedger) new InitialContext().lookup(BREAK_GLASS)).record(activation);
        } catch (NamingException e) {
            throw new IllegalStateException("the break-glass ledger is not available", e);
        }
    }

    /**
     * Connects the data plane as soon as the registry and the audit journal are up (they start after this extension),
     * so that health checks run and /api/backends answers before the first request. Tries once a second, for at most
     * five minutes; a request that comes first connects it itself.
     */
    private static void connectWhenReady(Connecting connecting) {
        Thread waiter = new Thread(() -> {
            for (int i = 0; i < 300 && !connecting.closed && connecting.plane == null; i++) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                connecting.connect(true);
            }
        }, "phigate-data-plane-connect");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Ends the data plane with the deployment: a redeployed gateway leaves no health-check thread or pool behind. */
    private static final class StopOnUndeploy implements ServletContextListener {
        private final Connecting connecting;

        StopOnUndeploy(Connecting connecting) {
            this.connecting = connecting;
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            connecting.close();
        }
    }

    /**
     * Builds the data plane at the first request that finds the registry, the certificate inventory (the pools' TLS)
     * and the audit journal up (they are EJBs,
     * which start after this extension), and subscribes it to the registry's feed. Until then: 503.
     */
    private static final class Connecting implements HttpHandler {
        private final Function<Optional<Journal>, DataPlane> assemble;
        private volatile DataPlane plane;
        private volatile boolean closed;
        private RouteTableFeed feed;

        Connecting(Function<Optional<Journal>, DataPlane> assemble) {
            this.assemble = assemble;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            DataPlane ready = plane != null ? plane : connect(false);
            if (ready == null) {
                Problem.NOT_READY.sendUnrecorded(exchange);
                return;
            }
            ready.handler().handleRequest(exchange);
        }

        /** The deployment ends: the data plane stops following the registry, its health checks stop, its pools close. */
        synchronized void close() {
            closed = true;
            if (plane != null) {
                plane.stopFollowing(feed);
                LOG.info("PHIG-0104 data plane stopped: health checks ended, backend connections closing");
            }
        }

        DataPlane connected() {
            return plane != null ? plane : connect(false);
        }

        /** @param quiet true for the background attempts, which expect to fail while the deployment starts */
        private synchronized DataPlane connect(boolean quiet) {
            if (plane != null || closed) {
                return plane;
            }
            try {
                InitialContext naming = new InitialContext();
                RouteTableFeed feed = ((Routes) naming.lookup(ROUTES)).feed();
                ((Certificates) naming.lookup(CERTIFICATES)).purposes();
                Optional<Journal> journal = Optional.of(((AuditJournal) naming.lookup(AUDIT)).journal());
                if (Boolean.getBoolean(AUDIT_OFF)) {
                    LOG.severe("PHIG-0490 AUDIT IS OFF (" + AUDIT_OFF + "): no data-plane request is recorded; for benchmarks only, never with PHI");
                    journal = Optional.empty();
                }
                this.feed = feed;
                plane = assemble.apply(journal).follow(feed);
                LOG.info(() -> "PHIG-0105 data plane connected to the route registry (generation " + feed.current().generation() + ")");
                return plane;
            } catch (NamingException | RuntimeException e) {
                if (!quiet) {
                    LOG.log(Level.WARNING, "PHIG-0103 the route registry or the audit journal is not available yet", e);
                }
                return null;
            }
        }
    }
}
