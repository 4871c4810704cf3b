// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditEntry;

/**
 * Reading the audit trail: search (an access entry with the outcome of the same request, newest first) and
 * verification of every node's chain and signed checkpoints. Read-only; the data plane writes through
 * {@link AuditJournal}.
 */
@Stateless
public class AuditRecords {

    /** One request as the trail tells it: its access entry and, if it was forwarded, its outcome. */
    public record AuditRecord(AuditEntry access, Optional<AuditEntry> outcome) {
    }

    @Resource(lookup = "java:jboss/datasources/PhigateDS")
    DataSource data;

    @EJB
    AuditJournal journal;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> search(AuditQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + JdbcAuditStore.COLUMNS + " FROM audit_entry WHERE kind = 'A'");
        List<Object> args = new ArrayList<>();
        query.from().ifPresent(t -> criterion(sql, args, " AND at_micros >= ?", micros(t)));
        query.to().ifPresent(t -> criterion(sql, args, " AND at_micros < ?", micros(t)));
        query.requestId().ifPresent(v -> criterion(sql, args, " AND request_id = ?", v));
        query.subject().ifPresent(v -> criterion(sql, args, " AND subject = ?", v));
        query.client().ifPresent(v -> criterion(sql, args, " AND client_id = ?", v));
        query.route().ifPresent(v -> criterion(sql, args, " AND route = ?", v));
        query.vendor().ifPresent(v -> criterion(sql, args, " AND vendor = ?", v));
        query.decision().ifPresent(v -> criterion(sql, args, " AND decision = ?", v));
        query.status().ifPresent(v -> {
            sql.append(" AND (status = ? OR request_id IN (SELECT o.request_id FROM audit_entry o WHERE o.kind = 'O' AND o.status = ?))");
            args.add(v);
            args.add(v);
        });
        query.patient().map(id -> journal.pseudonyms().patient(id)).ifPresent(p -> {
            sql.append(" AND (patient = ? OR patient LIKE ?)");
            args.add(p);
            args.add("%" + p + "%");
        });
        sql.append(" ORDER BY at_micros DESC, node, seq DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        args.add(query.offset());
        args.add(query.limit());
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            List<AuditEntry> accesses = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    accesses.add(JdbcAuditStore.read(rows));
                }
            }
            Map<String, AuditEntry> outcomes = outcomes(c, accesses);
            return accesses.stream().map(a -> new AuditRecord(a, Optional.ofNullable(outcomes.get(a.requestId())))).toList();
        }
    }

    /** Admin changes (CHANGE entries), newest first: who, from where, which endpoint, the item before and after. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditEntry> changes(Optional<Instant> from, Optional<Instant> to, int offset, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + JdbcAuditStore.COLUMNS + " FROM audit_entry WHERE kind = 'C'");
        List<Object> args = new ArrayList<>();
        from.ifPresent(t -> criterion(sql, args, " AND at_micros >= ?", micros(t)));
        to.ifPresent(t -> criterion(sql, args, " AND at_micros < ?", micros(t)));
        sql.append(" ORDER BY at_micros DESC, node, seq DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        args.add(offset);
        args.add(limit);
        List<AuditEntry> changes = new ArrayList<>();
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    changes.add(JdbcAuditStore.read(rows));
                }
            }
        }
        return changes;
    }

    /**
     * Streams every record of a period, oldest first, to {@code sink}: a cursor over the access entries joined with
     * their outcomes, so that an export of any size holds one record in memory at a time.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long export(Instant from, Instant to, Consumer<AuditRecord> sink) throws SQLException {
        String outcome = "o.status AS o_status, o.bytes_in AS o_bytes_in, o.bytes_out AS o_bytes_out, "
                + "o.duration_micros AS o_duration_micros, o.aborted AS o_aborted, o.at_micros AS o_at_micros, o.seq AS o_seq";
        String columns = java.util.Arrays.stream(JdbcAuditStore.COLUMNS.split(", ")).map(col -> "a." + col).collect(java.util.stream.Collectors.joining(", "));
        long count = 0;
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + columns + ", " + outcome
                + " FROM audit_entry a LEFT JOIN audit_entry o ON o.kind = 'O' AND o.request_id = a.request_id"
                + " WHERE a.kind = 'A' AND a.at_micros >= ? AND a.at_micros < ? ORDER BY a.at_micros, a.node, a.seq")) {
            s.setFetchSize(1000);
            s.setLong(1, micros(from));
            s.setLong(2, micros(to));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    AuditEntry access = JdbcAuditStore.read(rows);
                    Optional<AuditEntry> result = rows.getObject("o_status") == null ? Optional.empty()
                            : Optional.of(AuditEntry.outcome(access.requestId(), rows.getLong("o_at_micros"))
                                    .result(rows.getInt("o_status"), rows.getLong("o_bytes_in"), rows.getLong("o_bytes_out"),
                                            rows.getLong("o_duration_micros"), rows.getBoolean("o_aborted")).build());
                    sink.accept(new AuditRecord(access, result));
                    count++;
                }
            }
        }
        return count;
    }

    private static void criterion(StringBuilder sql, List<Object> args, String clause, Object value) {
        sql.append(clause);
        args.add(value);
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Map<String, AuditEntry> outcomes(Connection c, List<AuditEntry> accesses) throws SQLException {
        Map<String, AuditEntry> outcomes = new HashMap<>();
        List<String> forwarded = accesses.stream().filter(a -> a.decision() == AuditEntry.Decision.FORWARD).map(AuditEntry::requestId).toList();
        if (forwarded.isEmpty()) {
            return outcomes;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(forwarded.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("SELECT " + JdbcAuditStore.COLUMNS + " FROM audit_entry WHERE kind = 'O' AND request_id IN (" + marks + ")")) {
            for (int i = 0; i < forwarded.size(); i++) {
                s.setString(i + 1, forwarded.get(i));
            }
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    AuditEntry outcome = JdbcAuditStore.read(rows);
                    outcomes.put(outcome.requestId(), outcome);
                }
            }
        }
        return outcomes;
    }

    /** Walks every node's chain from its first entry, in constant memory, and checks every signed checkpoint on the way. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public ChainWalk.Verification verify() throws SQLException {
        return verify(checked -> { });
    }

    /** As {@link #verify()}, telling {@code progress} how many entries are checked so far (for the console's progress bar). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public ChainWalk.Verification verify(LongConsumer progress) throws SQLException {
        try (Connection c = data.getConnection()) {
            return ChainWalk.verify(c, journal.keys().checkpointVerifying(), progress);
        }
    }

    /** How many entries the trail holds now: the denominator of a verification's progress. */
    public long count() throws SQLException {
        try (Connection c = data.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM audit_entry")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
