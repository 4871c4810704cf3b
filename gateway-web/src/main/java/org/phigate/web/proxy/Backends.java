// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;

/**
 * The proxy side of each published {@link RouteTable}: one {@link LoadBalancingProxyClient} per pool and one
 * {@link ProxyHandler} per route (its timeouts are the route's). Built when a table is published, off the
 * request path, and swapped in whole; a pool whose backends did not change keeps its client and its warm
 * connections across the swap.
 */
final class Backends implements Consumer<RouteTable> {

    static final int CONNECTIONS_PER_IO_THREAD = 64;
    static final int MAX_QUEUED_REQUESTS = 1024;
    static final int IDLE_CONNECTION_TTL_MS = 30_000;
    static final int PROBLEM_SERVER_RETRY_S = 5;

    /** Small request writes must not wait for the backend's delayed ACK. */
    private static final OptionMap BACKEND_SOCKET = OptionMap.create(Options.TCP_NODELAY, true);

    private record Compiled(RouteTable table, Map<PoolSpec, LoadBalancingProxyClient> clients,
                            Map<String, HttpHandler> proxies) {
    }

    private final XnioSsl tls;
    private final AtomicReference<Compiled> compiled =
            new AtomicReference<>(new Compiled(RouteTable.empty(), Map.of(), Map.of()));

    Backends(SSLContext backendTls) {
        this.tls = new UndertowXnioSsl(Xnio.getInstance(), BackendTls.OPTIONS, Objects.requireNonNull(backendTls, "backendTls"));
    }

    @Override
    public void accept(RouteTable table) {
        Compiled previous = compiled.get();
        Map<PoolSpec, LoadBalancingProxyClient> clients = new HashMap<>();
        for (PoolSpec pool : table.pools().values()) {
            LoadBalancingProxyClient kept = previous.clients().get(pool);
            clients.put(pool, kept != null ? kept : client(pool));
        }
        Map<String, HttpHandler> proxies = new HashMap<>();
        for (RouteSpec route : table.routes()) {
            proxies.put(route.name(), proxy(route, clients.get(table.pool(route.pool()))));
        }
        compiled.set(new Compiled(table, Map.copyOf(clients), Map.copyOf(proxies)));
        previous.clients().forEach((pool, client) -> {
            if (!clients.containsKey(pool)) {
                client.closeCurrentConnections();
            }
        });
    }

    RouteTable table() {
        return compiled.get().table();
    }

    /** The proxy of the route as currently published; empty if the route was removed since it was matched. */
    Optional<HttpHandler> proxy(String route) {
        return Optional.ofNullable(compiled.get().proxies().get(route));
    }

    private LoadBalancingProxyClient client(PoolSpec pool) {
        LoadBalancingProxyClient client = new LoadBalancingProxyClient()
                .setConnectionsPerThread(CONNECTIONS_PER_IO_THREAD)
                .setMaxQueueSize(MAX_QUEUED_REQUESTS)
                .setTtl(IDLE_CONNECTION_TTL_MS)
                .setProblemServerRetry(PROBLEM_SERVER_RETRY_S);
        for (URI backend : pool.backends()) {
            client.addHost(backend, null, "https".equalsIgnoreCase(backend.getScheme()) ? tls : null, BACKEND_SOCKET);
        }
        return client;
    }

    private static HttpHandler proxy(RouteSpec route, LoadBalancingProxyClient client) {
        return ProxyHandler.builder()
                .setProxyClient(new ConnectDeadline(client, route.connectTimeout().toMillis()))
                .setMaxRequestTime(Math.toIntExact(route.requestTimeout().toMillis()))
                .setRewriteHostHeader(true)
                .setReuseXForwarded(false)
                .setMaxConnectionRetries(1)
                .setNext(Problem.BACKEND_UNREACHABLE::send)
                .build();
    }
}
