// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Objects;
import java.util.Optional;
import org.phigate.route.control.RouteMatch;

/**
 * Load shedding before anything is journaled or forwarded: the request takes a slot of its route's pool, or is
 * answered 503 with {@code Retry-After} at once when the pool is at its limit (PHIG-5034) or none of its backends can
 * take a request (PHIG-5035). Nothing queues without bound.
 */
final class AdmissionHandler implements HttpHandler {

    static final String RETRY_AT_LIMIT_SECONDS = "1";
    static final String RETRY_NO_BACKEND_SECONDS = "5";

    private final Backends backends;
    private final HttpHandler next;

    AdmissionHandler(Backends backends, HttpHandler next) {
        this.backends = Objects.requireNonNull(backends, "backends");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch.Matched match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        Optional<PoolClient> pool = match == null ? Optional.empty() : backends.pool(match.route().pool());
        if (pool.isEmpty()) {
            Problem.NO_ROUTE.send(exchange);
            return;
        }
        Optional<PoolClient.Refusal> refusal = pool.get().admit(exchange);
        if (refusal.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        boolean atLimit = refusal.get() == PoolClient.Refusal.AT_LIMIT;
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, atLimit ? RETRY_AT_LIMIT_SECONDS : RETRY_NO_BACKEND_SECONDS);
        (atLimit ? Problem.POOL_AT_LIMIT : Problem.NO_BACKEND_AVAILABLE).send(exchange);
    }
}
