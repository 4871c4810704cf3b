// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.route.control.RouteMatch;
import org.phigate.vendor.control.BaaDecision;

/**
 * Sends PHI to a vendor only under a business associate agreement in force (164.308(b)): after the caller is
 * authorized, before anything is read from the body or forwarded. The vendor comes from the same route table as the
 * matched route, and the agreement's dates are compared with this request's time, so a lapse takes effect on the
 * first request after it, with no change published and no restart. The refusal is audited with the vendor.
 */
final class BaaGateHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(BaaGateHandler.class.getName());

    private final Clock clock;
    private final HttpHandler next;

    BaaGateHandler(Clock clock, HttpHandler next) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch.Matched match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        if (match.vendor().isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        Optional<BaaDecision.Refusal> refusal = BaaDecision.decide(match.route(), match.vendor(), DataPlaneAttachments.fhir(exchange),
                clock.instant());
        if (refusal.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        BaaDecision.Refusal r = refusal.get();
        LOG.info(() -> "PHIG-4039 " + r.reason() + " no agreement in force covers this disclosure: route " + match.route().name()
                + ", vendor " + r.vendor() + ", request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
        Problem.BAA_NOT_IN_FORCE.send(exchange, r.reason());
    }
}
