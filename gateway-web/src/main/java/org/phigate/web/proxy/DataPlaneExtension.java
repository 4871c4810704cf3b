// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import java.time.Duration;
import org.phigate.breakglass.control.BreakGlassActivation;
import org.phigate.breakglass.control.BreakGlassLedger;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import jakarta.servlet.ServletContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTableFeed;

/**
 * Installs the data plane in front of the WAR as an initial handler: it runs on the I/O thread, before any
 * servlet dispatch, for requests of the data-plane listener only ({@code phigate.data.port}, set by the
 * server configuration). It connects to the route registry on the first request, once the EJB is up.
 */
public final class DataPlaneExtension implements ServletExtension {

    private static final Logger LOG = Logger.getLogger(DataPlaneExtension.class.getName());
    /** Global, not java:app: the first request may come on an I/O thread, which has no application naming context. */
    private static final String ROUTES = "java:global/phigate/gateway-ejb/Routes";
    private static final String BREAK_GLASS = "java:global/phigate/gateway-ejb/BreakGlassEvents!org.phigate.breakglass.boundary.BreakGlassEvents";

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext servletContext) {
        int dataPort = Integer.getInteger("phigate.data.port", 8443) + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        HttpHandler dataPlane;
        try {
            BearerTokens tokens = BearerTokens.of(OidcSettings.fromSystemProperties());
            servletContext.setAttribute(BearerTokens.ATTRIBUTE, tokens);
            Duration window = Duration.ofMinutes(Long.getLong("phigate.break-glass.window-minutes", 60));
            dataPlane = new Connecting(new DataPlane(BackendTls.fromSystemProperties(), tokens,
                    DataPlaneExtension::recordBreakGlass, window));
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "PHIG-0200 the data plane cannot start (" + e.getMessage() + "); every data-plane request gets 503", e);
            dataPlane = Problem.NOT_READY::send;
        }
        HttpHandler data = dataPlane;
        deployment.addInitialHandlerChainWrapper(admin -> new PlaneSplit(dataPort, data, admin));
        LOG.info(() -> "PHIG-0102 data plane installed on port " + dataPort);
    }

    /** Called on a worker thread; the EJB commits the event in its own transaction before this returns. */
    private static void recordBreakGlass(BreakGlassActivation activation) {
        try {
            ((BreakGlassLedger) new InitialContext().lookup(BREAK_GLASS)).record(activation);
        } catch (NamingException e) {
            throw new IllegalStateException("the break-glass ledger is not available", e);
        }
    }

    /** Subscribes the data plane to the registry's feed at the first request that finds the registry up. */
    private static final class Connecting implements HttpHandler {
        private final DataPlane plane;
        private volatile RouteTableFeed feed;

        Connecting(DataPlane plane) {
            this.plane = plane;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (feed == null && !connect()) {
                Problem.NOT_READY.send(exchange);
                return;
            }
            plane.handler().handleRequest(exchange);
        }

        private synchronized boolean connect() {
            if (feed != null) {
                return true;
            }
            try {
                RouteTableFeed found = ((Routes) new InitialContext().lookup(ROUTES)).feed();
                plane.follow(found);
                feed = found;
                return true;
            } catch (NamingException | RuntimeException e) {
                LOG.log(Level.WARNING, "PHIG-0103 the route registry is not available yet", e);
                return false;
            }
        }
    }
}
