// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.phigate.identity.Caller;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.FhirInteraction;
import org.phigate.policy.PolicyDecision;

/**
 * Applies the route's access policy to the authenticated caller (default deny). An allowed request goes on
 * with the caller's identity in gateway-set headers and without the bearer token: the backend learns who
 * calls from the gateway, and a vendor never receives a token it could replay.
 */
final class AuthorizeHandler implements HttpHandler {

    static final HttpString SUBJECT = new HttpString("X-PHIGate-Subject");
    static final HttpString CLIENT = new HttpString("X-PHIGate-Client");
    static final HttpString ROLES = new HttpString("X-PHIGate-Roles");
    private static final Logger LOG = Logger.getLogger(AuthorizeHandler.class.getName());

    private final HttpHandler next;

    AuthorizeHandler(HttpHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Caller caller = exchange.getAttachment(DataPlaneAttachments.CALLER);
        var match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        var route = match.route();
        Optional<FhirInteraction> interaction = route.policy().filter(AccessPolicy::smart).isPresent()
                ? FhirInteraction.of(exchange.getRequestMethod().toString(), match.remainder()) : Optional.empty();
        Optional<PolicyDecision.Deny> deny = PolicyDecision.decide(route.policy(), caller, exchange.getSourceAddress().getAddress(), interaction);
        if (deny.isPresent()) {
            LOG.info(() -> deny.get().code + " " + deny.get().reason + ": route " + route.name() + ", " + caller
                    + ", request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
            Problem.FORBIDDEN.send(exchange, deny.get().code);
            return;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        headers.remove(Headers.AUTHORIZATION);
        headers.put(SUBJECT, caller.subject());
        headers.put(CLIENT, caller.clientId());
        headers.put(ROLES, String.join(",", new TreeSet<>(caller.roles())));
        next.handleRequest(exchange);
    }
}
