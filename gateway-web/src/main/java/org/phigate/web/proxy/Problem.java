// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The data plane's errors as RFC 9457 problem details. Each has a stable code; none carries a stack trace,
 * a backend address or anything the client sent. The precise reason goes to the log, under the same code.
 */
enum Problem {
    BAD_PATH(400, "PHIG-4001", "The request path is not in canonical form"),
    MALFORMED(400, "PHIG-4002", "The request is malformed; the reason names the rule"),
    CONNECTION_NAMES_END_TO_END(400, "PHIG-4003", "The Connection header names a header that must reach the backend"),
    TOO_MANY_PARAMETERS(400, "PHIG-4004", "The request has more query parameters than the gateway accepts"),
    TOO_MANY_PATIENTS(400, "PHIG-4005", "The request names more patients than one audit record can account for (64); split it"),
    UNAUTHENTICATED(401, "PHIG-4011", "Authentication required"),
    INVALID_TOKEN(401, "PHIG-4012", "The bearer token is not valid"),
    CERTIFICATE_NOT_ACCEPTED(401, "PHIG-4013", "The client certificate is not accepted"),
    FORBIDDEN(403, "PHIG-4030", "The caller may not use this route"),
    WAF_REFUSED(403, "PHIG-4038", "The web application firewall refused the request; the reason names the rule"),
    BAA_NOT_IN_FORCE(403, "PHIG-4039", "No business associate agreement in force covers this disclosure to the route's vendor"),
    NO_ROUTE(404, "PHIG-4040", "No route for this path"),
    METHOD_NOT_ALLOWED(405, "PHIG-4050", "Method not allowed on this route"),
    BODY_TOO_LARGE(413, "PHIG-4130", "The request body is over the route's limit and was not inspected, so it was not forwarded"),
    HEADERS_TOO_LARGE(431, "PHIG-4310", "The request has more header fields, or a larger header section, than the gateway accepts"),
    INTERNAL(500, "PHIG-5000", "The gateway could not handle the request"),
    BACKEND_UNREACHABLE(502, "PHIG-5020", "The backend could not be reached"),
    NOT_READY(503, "PHIG-5030", "The gateway is starting or its configuration is not loaded"),
    BREAK_GLASS_UNRECORDED(503, "PHIG-5031", "Emergency access could not be recorded, so it was not granted"),
    AUDIT_UNAVAILABLE(503, "PHIG-5032", "The request could not be audited, so it was not forwarded"),
    POOL_AT_LIMIT(503, "PHIG-5034", "The route's backends are at their limit; retry later"),
    NO_BACKEND_AVAILABLE(503, "PHIG-5035", "No backend of the route can take the request now; retry later"),
    BACKEND_TIMEOUT(504, "PHIG-5040", "The backend did not answer in time");

    static final String MEDIA_TYPE = "application/problem+json";

    final int status;
    final String code;
    final String title;

    Problem(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    /** The problem to show for a status that a stage ended the exchange with, without a body. */
    static Problem forStatus(int status, boolean forwarded) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NO_ROUTE;
            case 405 -> METHOD_NOT_ALLOWED;
            case 503 -> forwarded ? BACKEND_UNREACHABLE : NOT_READY;
            case 504 -> BACKEND_TIMEOUT;
            default -> INTERNAL;
        };
    }

    String json(String requestId, String reason) {
        return "{\"type\":\"urn:phigate:problem:" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"code\":\"" + code + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                + ",\"requestId\":\"" + requestId + "\"}";
    }

    /** Sends this problem and ends the exchange, once the audit trail holds it. Safe on the I/O thread. */
    void send(HttpServerExchange exchange) {
        send(exchange, null);
    }

    /**
     * Sends this problem with a stable reason code (a policy's reason for a 403) and ends the exchange. The answer
     * is recorded in the audit trail first (see {@link AuditTrail#answering}), unless the trail already holds this
     * request (a forwarded request that failed at the backend: its outcome is recorded when it ends).
     */
    void send(HttpServerExchange exchange, String reason) {
        send(exchange, reason, reason == null ? code : reason);
    }

    /**
     * Sends this problem, recording {@code recordedReason} in the audit trail but not showing it: the precise reason
     * a credential was refused helps the auditor and would help an attacker.
     */
    void sendWithPrivateReason(HttpServerExchange exchange, String recordedReason) {
        send(exchange, null, recordedReason);
    }

    private void send(HttpServerExchange exchange, String reason, String recordedReason) {
        if (exchange.isComplete()) {
            return;
        }
        byte[] body = body(exchange, reason);
        AuditTrail.State state = exchange.getAttachment(DataPlaneAttachments.AUDIT);
        if (state == null || state.recorded != AuditTrail.Recorded.NOTHING) {
            write(exchange, body);
            return;
        }
        state.trail.answering(exchange, status, recordedReason, body.length, () -> write(exchange, body));
    }

    /** Sends this problem at once, without recording it: for the end of an exchange, which the trail records itself. */
    void sendUnrecorded(HttpServerExchange exchange) {
        write(exchange, body(exchange, null));
    }

    private byte[] body(HttpServerExchange exchange, String reason) {
        String id = exchange.getAttachment(DataPlaneAttachments.REQUEST_ID);
        return json(id == null ? "" : id, reason).getBytes(StandardCharsets.UTF_8);
    }

    private void write(HttpServerExchange exchange, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, MEDIA_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
