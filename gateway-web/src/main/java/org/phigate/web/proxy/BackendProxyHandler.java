// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import org.phigate.route.control.RouteMatch;

/** Hands the request to the proxy of its route. From here on, a 503 or 504 is the backend's failure. */
final class BackendProxyHandler implements HttpHandler {

    private final Backends backends;

    BackendProxyHandler(Backends backends) {
        this.backends = Objects.requireNonNull(backends, "backends");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch.Matched match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        var proxy = match == null ? java.util.Optional.<HttpHandler>empty() : backends.proxy(match.route().name());
        if (proxy.isEmpty()) {
            Problem.NO_ROUTE.send(exchange);
            return;
        }
        exchange.putAttachment(DataPlaneAttachments.FORWARDED, Boolean.TRUE);
        proxy.get().handleRequest(exchange);
    }
}
