// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.phigate.fhir.FhirRequest;
import org.phigate.identity.Caller;
import org.phigate.route.control.RouteMatch;

/** Per-request facts that one stage of the data plane hands to the next. */
final class DataPlaneAttachments {

    /** The gateway's own id of the request, never the client's. */
    static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);

    /** The route the request matched, with the path the backend will receive. */
    static final AttachmentKey<RouteMatch.Matched> ROUTE = AttachmentKey.create(RouteMatch.Matched.class);

    /** Who is calling, once the bearer token has been verified. */
    static final AttachmentKey<Caller> CALLER = AttachmentKey.create(Caller.class);

    /** The request's place in the audit trail, from the first stage on. */
    static final AttachmentKey<AuditTrail.State> AUDIT = AttachmentKey.create(AuditTrail.State.class);

    /**
     * Whether the request came with a body, decided when it arrived: its stream was not complete (an HTTP/2 request
     * may send DATA frames without a content-length) or its headers declared one. Read by the body inspection and the
     * retry rule, which must not decide from headers that a client can leave out.
     */
    static final AttachmentKey<Boolean> HAS_BODY = AttachmentKey.create(Boolean.class);

    /**
     * Set when the request carried something the gateway removed or let through uninspected (trailers): a 5xx after it
     * may be the request's fault, not the backend's, so it does not count towards the backend's ejection.
     */
    static final AttachmentKey<Boolean> SUSPECT = AttachmentKey.create(Boolean.class);

    /** The request read as FHIR, once, by the first stage that needs it ({@link #fhir}). */
    private static final AttachmentKey<FhirRequest> FHIR = AttachmentKey.create(FhirRequest.class);

    /** Present once the request has been handed to a backend pool: a 503/504 from then on is the backend's failure. */
    static final AttachmentKey<Boolean> FORWARDED = AttachmentKey.create(Boolean.class);

    private DataPlaneAttachments() {
    }

    /** The matched request read as FHIR (what it can disclose, which patients it names), read once and kept. */
    static FhirRequest fhir(HttpServerExchange exchange) {
        FhirRequest read = exchange.getAttachment(FHIR);
        if (read == null) {
            RouteMatch.Matched match = exchange.getAttachment(ROUTE);
            read = FhirRequest.of(exchange.getRequestMethod().toString(), match.remainder(), exchange.getQueryString(),
                    !Boolean.FALSE.equals(exchange.getAttachment(HAS_BODY)));
            exchange.putAttachment(FHIR, read);
        }
        return read;
    }
}
