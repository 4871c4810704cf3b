// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditQuery;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;

/**
 * The audit trail for auditors: search (one record per request, newest first) and verification of the hash chains
 * and signed checkpoints. A patient is searched by the real id, which is turned into its pseudonym here and is
 * never stored, logged or echoed.
 */
@Path("audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Allowed("gateway-auditor")
public class AuditResource {

    private static final Logger LOG = Logger.getLogger(AuditResource.class.getName());

    @EJB
    AuditRecords records;

    @GET
    @Path("records")
    public Response search(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("requestId") String requestId,
                           @QueryParam("subject") String subject, @QueryParam("client") String client, @QueryParam("route") String route,
                           @QueryParam("decision") String decision, @QueryParam("status") Integer status, @QueryParam("patient") String patient,
                           @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        AuditQuery query;
        try {
            query = new AuditQuery(time(from), time(to), text(requestId), text(subject), text(client), text(route),
                    text(decision).map(d -> AuditEntry.Decision.valueOf(d).name()), Optional.ofNullable(status), text(patient), offset, limit);
        } catch (DateTimeParseException e) {
            return invalid("from/to", "an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        } catch (IllegalArgumentException e) {
            return invalid("decision/offset/limit", "decision FORWARD, REFUSE or FAIL; offset >= 0; limit 1-" + AuditQuery.MAX_LIMIT);
        }
        try {
            return Response.ok(Map.of("records", records.search(query).stream().map(AuditResource::json).toList(),
                    "offset", offset, "limit", limit)).build();
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            return ApiProblem.of(503, "PHIG-5036", "The audit trail cannot be read now");
        }
    }

    @GET
    @Path("verify")
    public Response verify() {
        try {
            AuditRecords.Verification v = records.verify();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", v.firstBad().isEmpty());
            body.put("entries", v.entries());
            body.put("checkpoints", v.checkpoints());
            v.firstBad().ifPresent(b -> {
                Map<String, Object> bad = new LinkedHashMap<>();
                bad.put("node", b.node());
                bad.put("seq", b.seq());
                if (b.requestId() != null) {
                    bad.put("requestId", b.requestId());
                }
                bad.put("what", b.what());
                body.put("firstBad", bad);
                LOG.severe(() -> "PHIG-0420 the audit chain of node " + b.node() + " breaks at entry " + b.seq() + ": " + b.what());
            });
            return Response.ok(body).build();
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            return ApiProblem.of(503, "PHIG-5036", "The audit trail cannot be read now");
        }
    }

    private static Response invalid(String field, String expected) {
        return ApiProblem.of(400, "PHIG-1003", "Invalid search", Map.of("field", field, "message", "expected " + expected));
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Optional<Instant> time(String value) {
        return text(value).map(Instant::parse);
    }

    static Map<String, Object> json(AuditRecords.AuditRecord record) {
        AuditEntry a = record.access();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", a.node());
        m.put("seq", a.seq());
        m.put("time", AuditClock.instant(a.atMicros()).toString());
        m.put("requestId", a.requestId());
        put(m, "subject", a.subject());
        put(m, "clientId", a.clientId());
        put(m, "serviceIdentity", a.serviceIdentity());
        put(m, "sourceIp", a.sourceIp());
        put(m, "tlsProtocol", a.tlsProtocol());
        put(m, "tlsCipher", a.tlsCipher());
        put(m, "method", a.method());
        put(m, "route", a.route());
        put(m, "path", a.path());
        put(m, "resourceType", a.resourceType());
        put(m, "interaction", a.interaction());
        put(m, "patientPseudonyms", a.patient());
        m.put("decision", a.decision().name());
        put(m, "reason", a.reason());
        m.put("breakGlass", a.breakGlass());
        put(m, "backend", a.backend());
        AuditEntry result = record.outcome().orElse(a);
        m.put("status", result.status());
        m.put("bytesIn", result.bytesIn());
        m.put("bytesOut", result.bytesOut());
        m.put("durationMicros", result.durationMicros());
        m.put("aborted", result.aborted());
        m.put("complete", a.decision() != AuditEntry.Decision.FORWARD || record.outcome().isPresent());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
