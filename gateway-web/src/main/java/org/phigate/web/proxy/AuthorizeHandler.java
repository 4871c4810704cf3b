// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.phigate.breakglass.control.BreakGlassActivation;
import org.phigate.breakglass.control.BreakGlassDecision;
import org.phigate.breakglass.control.BreakGlassLedger;
import org.phigate.fhir.FhirRequest;
import org.phigate.identity.Caller;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.PolicyDecision;

/**
 * Applies the route's access policy to the authenticated caller (default deny), or lets a refused caller
 * break the glass where the route allows it (recorded durably first, see {@link BreakGlassDecision}). An allowed request goes on
 * with the caller's identity in gateway-set headers and without the bearer token: the backend learns who
 * calls from the gateway, and a vendor never receives a token it could replay.
 */
final class AuthorizeHandler implements HttpHandler {

    static final HttpString SUBJECT = new HttpString("X-PHIGate-Subject");
    static final HttpString CLIENT = new HttpString("X-PHIGate-Client");
    static final HttpString ROLES = new HttpString("X-PHIGate-Roles");
    static final HttpString SERVICE_IDENTITY = new HttpString("X-PHIGate-Service-Identity");
    static final HttpString BREAK_GLASS = new HttpString("X-PHIGate-Break-Glass");
    /** The OAuth scopes the token granted, space-separated, so a backend can apply the same SMART rules. */
    static final HttpString SCOPES = new HttpString("X-PHIGate-Scopes");
    /** The token's SMART launch patient, the patient its {@code patient/} scopes are bound to. */
    static final HttpString PATIENT = new HttpString("X-PHIGate-Patient");
    private static final HttpString PREFER = new HttpString("Prefer");
    private static final HttpString JUSTIFICATION = new HttpString(BreakGlassDecision.HEADER);
    private static final Logger LOG = Logger.getLogger(AuthorizeHandler.class.getName());

    private final BreakGlassLedger ledger;
    private final BreakGlassWindows windows;
    private final Clock clock;
    private final HttpHandler next;

    AuthorizeHandler(BreakGlassLedger ledger, BreakGlassWindows windows, Clock clock, HttpHandler next) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Caller caller = exchange.getAttachment(DataPlaneAttachments.CALLER);
        var match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        var route = match.route();
        if (DataPlaneAttachments.fhir(exchange).patientsNamed() > FhirRequest.MAX_PATIENTS) {
            Problem.TOO_MANY_PATIENTS.send(exchange);
            return;
        }
        Optional<FhirRequest> fhir = route.policy().filter(AccessPolicy::smart).isPresent()
                ? Optional.of(DataPlaneAttachments.fhir(exchange)) : Optional.empty();
        Optional<PolicyDecision.Deny> deny = PolicyDecision.decide(route.policy(), caller, exchange.getSourceAddress().getAddress(), fhir);
        if (deny.isEmpty()) {
            forward(exchange, caller, false);
            return;
        }
        Optional<String> justification = BreakGlassDecision.override(route.policy(), deny.get(), caller,
                exchange.getRequestHeaders().getFirst(JUSTIFICATION));
        if (justification.isEmpty()) {
            LOG.info(() -> deny.get().code + " " + deny.get().reason + ": route " + route.name() + ", " + caller
                    + ", request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
            Problem.FORBIDDEN.send(exchange, deny.get().code);
            return;
        }
        Instant now = clock.instant();
        if (windows.isOpen(caller.subject(), route.name(), now)) {
            forward(exchange, caller, true);
            return;
        }
        BreakGlassActivation activation = new BreakGlassActivation(caller.subject(), caller.username(), caller.clientId(),
                route.name(), justification.get(), exchange.getAttachment(DataPlaneAttachments.REQUEST_ID), now, now.plus(windows.length()));
        exchange.dispatch(() -> recordThenForward(exchange, caller, activation));
    }

    /** On a worker thread: the event is durable before the request goes on; if it cannot be, nothing goes on. */
    private void recordThenForward(HttpServerExchange exchange, Caller caller, BreakGlassActivation activation) {
        try {
            ledger.record(activation);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.SEVERE, "PHIG-5031 break-glass could not be recorded; request refused: " + activation, e);
            Problem.BREAK_GLASS_UNRECORDED.send(exchange);
            return;
        }
        windows.open(activation.subject(), activation.route(), activation.expiresAt());
        try {
            forward(exchange, caller, true);
        } catch (Exception e) {
            LOG.log(java.util.logging.Level.SEVERE, "PHIG-5000 forwarding after break-glass failed", e);
            Problem.INTERNAL.send(exchange);
        }
    }

    /**
     * On a SMART route the backend must refuse a search parameter it does not know ({@code Prefer: handling=strict},
     * FHIR search 3.2.1.7): a lenient server ignores it, and a search the gateway read as confined to the token's
     * patient (say {@code Medication?patient=P}, a parameter Medication lacks) would return every patient's data.
     */
    private static void strictHandling(HeaderMap headers) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String value : headers.get(PREFER) == null ? java.util.List.<String>of() : headers.get(PREFER)) {
            for (String preference : value.split(",")) {
                String p = preference.trim();
                if (!p.isEmpty() && !p.toLowerCase(java.util.Locale.ROOT).startsWith("handling")) {
                    kept.add(p);
                }
            }
        }
        kept.add("handling=strict");
        headers.put(PREFER, String.join(", ", kept));
    }

    private void forward(HttpServerExchange exchange, Caller caller, boolean brokeGlass) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        headers.remove(JUSTIFICATION);
        if (brokeGlass) {
            headers.put(BREAK_GLASS, "true");
            AuditTrail.State audit = exchange.getAttachment(DataPlaneAttachments.AUDIT);
            if (audit != null) {
                audit.brokeGlass = true;
            }
        }
        headers.remove(Headers.AUTHORIZATION);
        if (exchange.getAttachment(DataPlaneAttachments.ROUTE).route().policy().filter(AccessPolicy::smart).isPresent()) {
            strictHandling(headers);
        }
        headers.put(SUBJECT, caller.subject());
        headers.put(CLIENT, caller.clientId());
        headers.put(ROLES, String.join(",", new TreeSet<>(caller.roles())));
        if (!caller.serviceIdentity().isEmpty()) {
            headers.put(SERVICE_IDENTITY, caller.serviceIdentity());
        }
        if (!caller.scopes().isEmpty()) {
            headers.put(SCOPES, String.join(" ", new TreeSet<>(caller.scopes())));
        }
        if (!caller.launchPatient().isEmpty()) {
            headers.put(PATIENT, caller.launchPatient());
        }
        next.handleRequest(exchange);
    }
}
