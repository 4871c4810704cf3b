// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.route.control.RouteMatch;
import org.phigate.waf.control.Category;
import org.phigate.waf.control.Finding;
import org.phigate.waf.control.Waf;
import org.phigate.waf.control.WafPolicy;

/**
 * What the two WAF stages share: the route's policy, and what a finding does under it. In {@code block} mode a
 * finding ends the exchange (400 for a malformed request, 403 for an attack, 413 for a body over the limit), in
 * {@code detect} mode it is noted in the audit record and the request goes on. The log names the rule, the part
 * of the request and the request id, never the content, which may be PHI.
 */
final class Inspections {

    private static final Logger LOG = Logger.getLogger(Inspections.class.getName());

    private final Waf waf;

    Inspections(Waf waf) {
        this.waf = Objects.requireNonNull(waf, "waf");
    }

    Waf waf() {
        return waf;
    }

    static WafPolicy policy(HttpServerExchange exchange) {
        RouteMatch.Matched match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        return match == null ? WafPolicy.DEFAULT : match.route().waf();
    }

    /** @return whether the request may go on */
    boolean apply(HttpServerExchange exchange, Optional<Finding> finding, WafPolicy policy) {
        if (finding.isEmpty()) {
            return true;
        }
        Finding f = finding.get();
        if (policy.mode() != WafPolicy.Mode.BLOCK) {
            log("PHIG-0602 detected", exchange, f);
            note(exchange, f.ruleId());
            return true;
        }
        refuse(exchange, f);
        return false;
    }

    /** Ends the exchange with the answer for the finding, whatever the route's mode (a chunked body over the limit). */
    static void refuse(HttpServerExchange exchange, Finding finding) {
        log("PHIG-0601 refused", exchange, finding);
        Problem problem = finding.ruleId().equals(BodyInspectionHandler.OVER_LIMIT) ? Problem.BODY_TOO_LARGE
                : finding.rule().category() == Category.PROTOCOL ? Problem.MALFORMED : Problem.WAF_REFUSED;
        problem.send(exchange, finding.ruleId());
    }

    private static void log(String what, HttpServerExchange exchange, Finding f) {
        LOG.info(() -> what + " request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID) + ": " + f.ruleId()
                + " (" + f.rule().category().slug() + ") at " + f.target());
    }

    /** Keeps a rule id for the request's audit record (detect mode, or a body passed uninspected). */
    static void note(HttpServerExchange exchange, String ruleId) {
        AuditTrail.State state = exchange.getAttachment(DataPlaneAttachments.AUDIT);
        if (state != null && state.inspection == null) {
            state.inspection = ruleId;
        }
    }
}
