// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Fail-closed audit (164.312(b)): the request's access entry is committed before the request is forwarded. The
 * exchange is suspended while the group commit it joined completes (no thread waits); if the audit store cannot
 * commit, the request is answered 503 and nothing reaches the backend.
 */
final class JournalHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(JournalHandler.class.getName());

    private final AuditTrail trail;
    private final HttpHandler next;

    JournalHandler(AuditTrail trail, HttpHandler next) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        CompletableFuture<Void> durable = trail.forwarding(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> durable.whenComplete((done, failure) ->
                exchange.getIoThread().execute(() -> Connectors.executeRootHandler(ex -> resume(ex, failure), exchange))));
    }

    private void resume(HttpServerExchange exchange, Throwable failure) throws Exception {
        if (failure != null) {
            LOG.warning(() -> "PHIG-5032 request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID)
                    + " refused: its audit record could not be committed (" + failure.getMessage() + ")");
            Problem.AUDIT_UNAVAILABLE.send(exchange);
            return;
        }
        trail.forwarded(exchange);
        next.handleRequest(exchange);
    }
}
