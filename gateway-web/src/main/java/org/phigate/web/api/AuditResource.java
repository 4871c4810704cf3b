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
import jakarta.ws.rs.core.StreamingOutput;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditQuery;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.audit.boundary.ChainWalk;
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
    static final List<String> EXPORT_COLUMNS = List.of("node", "seq", "time", "requestId", "subject", "clientId", "serviceIdentity",
            "sourceIp", "tlsProtocol", "tlsCipher", "method", "route", "path", "resourceType", "interaction", "patientPseudonyms",
            "decision", "reason", "breakGlass", "backend", "vendor", "status", "bytesIn", "bytesOut", "durationMicros", "aborted", "complete");
    private static final java.time.Duration ACCOUNTING_PERIOD = java.time.Duration.ofDays(6 * 365 + 2);

    @EJB
    AuditRecords records;

    @GET
    @Path("records")
    public Response search(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("requestId") String requestId,
                           @QueryParam("subject") String subject, @QueryParam("client") String client, @QueryParam("route") String route,
                           @QueryParam("vendor") String vendor, @QueryParam("decision") String decision, @QueryParam("status") Integer status, @QueryParam("patient") String patient,
                           @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        AuditQuery query;
        try {
            query = new AuditQuery(time(from), time(to), text(requestId), text(subject), text(client), text(route), text(vendor),
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

    /**
     * Accounting of disclosures (45 CFR 164.528): every forwarded request that concerned the patient in the period
     * (at most six years, default the last six), newest first: when, who, through which client, service or route,
     * what resource type and interaction, and whether the glass was broken.
     */
    @GET
    @Path("disclosures")
    @Allowed({"privacy-officer", "gateway-auditor"})
    public Response disclosures(@QueryParam("patient") String patient, @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("500") int limit) {
        if (text(patient).isEmpty()) {
            return invalid("patient", "the patient's id (it is never stored)");
        }
        Instant end;
        Instant start;
        try {
            end = time(to).orElse(Instant.now());
            start = time(from).orElse(end.minus(ACCOUNTING_PERIOD));
        } catch (DateTimeParseException e) {
            return invalid("from/to", "an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
        if (start.isAfter(end) || start.isBefore(end.minus(ACCOUNTING_PERIOD))) {
            return invalid("from/to", "a period of at most six years, from before to");
        }
        try {
            AuditQuery query = new AuditQuery(Optional.of(start), Optional.of(end), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(AuditEntry.Decision.FORWARD.name()), Optional.empty(), text(patient), offset, limit);
            return Response.ok(Map.of("from", start.toString(), "to", end.toString(),
                    "disclosures", records.search(query).stream().map(AuditResource::disclosure).toList())).build();
        } catch (IllegalArgumentException e) {
            return invalid("offset/limit", "offset >= 0; limit 1-" + AuditQuery.MAX_LIMIT);
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            return ApiProblem.of(503, "PHIG-5036", "The audit trail cannot be read now");
        }
    }

    private static Map<String, Object> disclosure(AuditRecords.AuditRecord record) {
        AuditEntry a = record.access();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", AuditClock.instant(a.atMicros()).toString());
        m.put("requestId", a.requestId());
        put(m, "subject", a.subject());
        put(m, "clientId", a.clientId());
        put(m, "serviceIdentity", a.serviceIdentity());
        put(m, "route", a.route());
        put(m, "backend", a.backend());
        put(m, "vendor", a.vendor());
        put(m, "resourceType", a.resourceType());
        put(m, "interaction", a.interaction());
        m.put("breakGlass", a.breakGlass());
        record.outcome().ifPresent(o -> m.put("status", o.status()));
        return m;
    }

    /**
     * Every record of a period (default: the last 24 hours), oldest first, as JSON lines or CSV, streamed from a
     * database cursor: an export of any size holds one record in memory at a time.
     */
    @GET
    @Path("export")
    @Produces({"application/x-ndjson", "text/csv"})
    public Response export(@QueryParam("format") @DefaultValue("jsonl") String format, @QueryParam("from") String from,
                           @QueryParam("to") String to) {
        if (!format.equals("jsonl") && !format.equals("csv")) {
            return invalid("format", "jsonl or csv");
        }
        Instant end;
        Instant start;
        try {
            end = time(to).orElse(Instant.now());
            start = time(from).orElse(end.minus(java.time.Duration.ofDays(1)));
        } catch (DateTimeParseException e) {
            return invalid("from/to", "an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
        boolean csv = format.equals("csv");
        StreamingOutput body = out -> AuditExport.write(records, start, end, csv, out);
        String file = "phigate-audit-" + start.toString().replace(':', '-') + (csv ? ".csv" : ".jsonl");
        return Response.ok(body, csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    /** Admin changes, newest first: who, from where, which endpoint, the item before and after (JSON text). */
    @GET
    @Path("changes")
    public Response changes(@QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0 || limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            return invalid("offset/limit", "offset >= 0; limit 1-" + AuditQuery.MAX_LIMIT);
        }
        try {
            return Response.ok(Map.of("changes", records.changes(time(from), time(to), offset, limit).stream().map(AuditResource::change).toList())).build();
        } catch (DateTimeParseException e) {
            return invalid("from/to", "an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            return ApiProblem.of(503, "PHIG-5036", "The audit trail cannot be read now");
        }
    }

    @GET
    @Path("verify")
    public Response verify() {
        try {
            ChainWalk.Verification v = records.verify();
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

    /** One configuration change as the API and the console's change history show it. */
    public static Map<String, Object> change(AuditEntry c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", c.node());
        m.put("seq", c.seq());
        m.put("time", AuditClock.instant(c.atMicros()).toString());
        m.put("changeId", c.requestId());
        put(m, "who", c.subject());
        put(m, "clientId", c.clientId());
        put(m, "sourceIp", c.sourceIp());
        put(m, "method", c.method());
        put(m, "endpoint", c.path());
        put(m, "item", c.route());
        put(m, "before", c.before());
        put(m, "after", c.after());
        return m;
    }

    /** One record as the API, the export and the console show it. */
    public static Map<String, Object> json(AuditRecords.AuditRecord record) {
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
        put(m, "vendor", a.vendor());
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
