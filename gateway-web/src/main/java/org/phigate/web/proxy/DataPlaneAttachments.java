// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.util.AttachmentKey;
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

    /** Present once the request has been handed to a backend pool: a 503/504 from then on is the backend's failure. */
    static final AttachmentKey<Boolean> FORWARDED = AttachmentKey.create(Boolean.class);

    private DataPlaneAttachments() {
    }
}
