// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;

/**
 * The proxy side of each published {@link RouteTable}: one {@link PoolClient} per pool, kept across tables (a
 * changed pool is updated in place, so its backends keep their connections, requests in flight and verdicts), and
 * one {@link ProxyHandler} per route (its timeouts are the route's). Built when a table is published, off the
 * request path, and swapped in whole.
 */
final class Backends implements Consumer<RouteTable> {

    /** Methods whose request may be sent again to another backend when the first one failed before answering. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
    private static final int MAX_ATTEMPTS = 3;

    /** Small request writes must not wait for the backend's delayed ACK. */
    private static final OptionMap BACKEND_SOCKET = OptionMap.create(Options.TCP_NODELAY, true);

    private record Compiled(RouteTable table, Map<String, PoolClient> pools, Map<String, HttpHandler> proxies) {
    }

    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    private final XnioSsl tls;
    private final PoolTlsMaterial.Source tlsMaterial;
    private final Clock clock;
    private final AtomicReference<Compiled> compiled = new AtomicReference<>(new Compiled(RouteTable.empty(), Map.of(), Map.of()));
    private final HealthChecks healthChecks;

    /**
     * @param tlsMaterial where the certificates that pools name in their {@code tls} are looked up
     * @param clock       against which those certificates' expiry is read
     */
    Backends(SSLContext backendTls, PoolTlsMaterial.Source tlsMaterial, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tls = new UndertowXnioSsl(Xnio.getInstance(), BackendTls.OPTIONS, Objects.requireNonNull(backendTls, "backendTls"));
        this.tlsMaterial = Objects.requireNonNull(tlsMaterial, "tlsMaterial");
        this.healthChecks = new HealthChecks(backendTls);
    }

    @Override
    public synchronized void accept(RouteTable table) {
        Compiled previous = compiled.get();
        Map<String, PoolClient> pools = new HashMap<>();
        List<PoolClient> replaced = new ArrayList<>();
        for (PoolSpec pool : table.pools().values()) {
            PoolClient kept = previous.pools().get(pool.name());
            if (kept != null && !kept.spec().tls().equals(pool.tls())) {
                replaced.add(kept);
                kept = null;
            }
            if (kept == null) {
                pools.put(pool.name(), client(pool));
            } else {
                if (!kept.spec().equals(pool)) {
                    kept.update(pool);
                }
                pools.put(pool.name(), kept);
            }
        }
        Map<String, HttpHandler> proxies = new HashMap<>();
        for (RouteSpec route : table.routes()) {
            proxies.put(route.name(), proxy(route, pools.get(route.pool())));
        }
        compiled.set(new Compiled(table, Map.copyOf(pools), Map.copyOf(proxies)));
        previous.pools().forEach((name, client) -> {
            if (!pools.containsKey(name)) {
                client.retire();
            }
        });
        replaced.forEach(PoolClient::retire);
        healthChecks.watch(pools.values());
    }

    /**
     * A new pool's client: over the data plane's default TLS, or over the CAs and client certificate its {@code tls}
     * names. Material that cannot be resolved or used leaves the pool without backends that take requests (PHIG-0822).
     */
    private PoolClient client(PoolSpec pool) {
        if (pool.tls().serverDefault()) {
            return new PoolClient(pool, tls, BACKEND_SOCKET);
        }
        Optional<PoolTlsMaterial> material;
        try {
            material = tlsMaterial.material(pool.tls().trust(), pool.tls().clientCertificate());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "PHIG-0823 the TLS material of pool " + pool.name() + " cannot be looked up", e);
            material = Optional.empty();
        }
        if (material.isPresent()) {
            try {
                SSLContext context = BackendTls.forPool(material.get(), clock);
                return new PoolClient(pool, new UndertowXnioSsl(Xnio.getInstance(), BackendTls.OPTIONS, context), context,
                        material.get().validUntil(), clock, BACKEND_SOCKET);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.log(Level.SEVERE, "PHIG-0823 the TLS material of pool " + pool.name() + " cannot be used", e);
            }
        }
        return new PoolClient(pool, tls, null, Instant.MIN, clock, BACKEND_SOCKET);
    }

    RouteTable table() {
        return compiled.get().table();
    }

    /** The proxy of the route as currently published; empty if the route was removed since it was matched. */
    Optional<HttpHandler> proxy(String route) {
        return Optional.ofNullable(compiled.get().proxies().get(route));
    }

    /** The client of a pool as currently published. */
    Optional<PoolClient> pool(String name) {
        return Optional.ofNullable(compiled.get().pools().get(name));
    }

    Map<String, PoolClient> pools() {
        return compiled.get().pools();
    }

    /** The data plane stops: no more health checks, and every pool's connections close as its requests finish. */
    synchronized void close() {
        healthChecks.close();
        compiled.get().pools().values().forEach(PoolClient::retire);
    }

    private static HttpHandler proxy(RouteSpec route, PoolClient client) {
        return ProxyHandler.builder()
                .setProxyClient(new ConnectDeadline(client, route.connectTimeout().toMillis()))
                .setMaxRequestTime(Math.toIntExact(route.requestTimeout().toMillis()))
                .setRewriteHostHeader(true)
                .setReuseXForwarded(false)
                .setMaxConnectionRetries(MAX_ATTEMPTS - 1)
                .setIdempotentRequestPredicate(Backends::resendable)
                .setNext(Problem.BACKEND_UNREACHABLE::send)
                .build();
    }

    /**
     * A request that failed at one backend before any answer may go to another only if sending it twice does no
     * harm, and only if it has no body (a body is streamed and cannot be sent again). POST and PATCH never are.
     */
    static boolean resendable(HttpServerExchange exchange) {
        if (!IDEMPOTENT.contains(exchange.getRequestMethod().toString())) {
            return false;
        }
        return Boolean.FALSE.equals(exchange.getAttachment(DataPlaneAttachments.HAS_BODY));
    }
}
