// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;

/** Opens the request's place in the audit trail before any stage can refuse it; see {@link AuditTrail}. */
final class AuditHandler implements HttpHandler {

    private final AuditTrail trail;
    private final HttpHandler next;

    AuditHandler(AuditTrail trail, HttpHandler next) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        trail.begin(exchange);
        next.handleRequest(exchange);
    }
}
