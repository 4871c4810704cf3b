// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;

/**
 * Keeps the two planes apart: a request that arrived on the data-plane port goes through the proxy chain
 * and can never reach the console or the admin API; any other request goes to the servlets and is never proxied.
 */
final class PlaneSplit implements HttpHandler {

    private final int dataPort;
    private final HttpHandler dataPlane;
    private final HttpHandler adminPlane;

    PlaneSplit(int dataPort, HttpHandler dataPlane, HttpHandler adminPlane) {
        this.dataPort = dataPort;
        this.dataPlane = Objects.requireNonNull(dataPlane, "dataPlane");
        this.adminPlane = Objects.requireNonNull(adminPlane, "adminPlane");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getDestinationAddress().getPort() == dataPort) {
            dataPlane.handleRequest(exchange);
        } else {
            adminPlane.handleRequest(exchange);
        }
    }
}
