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
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.ChainVerifier;
import org.phigate.audit.control.Checkpoints;

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

    /** The verdict of a verification: entries and checkpoints checked, and the first break, if any. */
    public record Verification(long entries, long checkpoints, Optional<ChainVerifier.Break> firstBad) {
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
    public Verification verify() throws SQLException {
        long entries = 0;
        long checked = 0;
        try (Connection c = data.getConnection()) {
            for (String node : nodes(c)) {
                Map<Long, Checkpoints.Checkpoint> checkpoints = checkpoints(c, node);
                ChainVerifier verifier = new ChainVerifier(node);
                Optional<ChainVerifier.Break> bad = walk(c, node, verifier, checkpoints);
                entries += verifier.verified();
                if (bad.isPresent()) {
                    return new Verification(entries, checked, bad);
                }
                Optional<ChainVerifier.Break> pinned = pinned(node, verifier, checkpoints);
                if (pinned.isPresent()) {
                    return new Verification(entries, checked, pinned);
                }
                checked += checkpoints.size();
            }
        }
        return new Verification(entries, checked, Optional.empty());
    }

    private Optional<ChainVerifier.Break> walk(Connection c, String node, ChainVerifier verifier,
                                              Map<Long, Checkpoints.Checkpoint> checkpoints) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + JdbcAuditStore.COLUMNS + " FROM audit_entry WHERE node = ? ORDER BY seq")) {
            s.setFetchSize(1000);
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    AuditEntry stored = JdbcAuditStore.read(rows);
                    Optional<ChainVerifier.Break> bad = verifier.accept(stored);
                    if (bad.isPresent()) {
                        return bad;
                    }
                    Checkpoints.Checkpoint pin = checkpoints.get(stored.seq());
                    if (pin != null && !pin.hash().equals(stored.hash())) {
                        return Optional.of(new ChainVerifier.Break(node, stored.seq(), stored.requestId(),
                                "rewritten: the chain differs from the checkpoint signed at this position"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Every checkpoint must carry a valid signature, and none may lie beyond the chain's end (a removed tail). */
    private Optional<ChainVerifier.Break> pinned(String node, ChainVerifier verifier, Map<Long, Checkpoints.Checkpoint> checkpoints) {
        for (Checkpoints.Checkpoint cp : checkpoints.values()) {
            if (!Checkpoints.verify(cp, journal.keys().checkpointVerifying())) {
                return Optional.of(new ChainVerifier.Break(node, cp.seq(), null, "the checkpoint at this position has no valid signature"));
            }
            if (cp.seq() > verifier.lastSeq()) {
                return Optional.of(new ChainVerifier.Break(node, verifier.lastSeq() + 1, null,
                        "removed: a checkpoint was signed at position " + cp.seq() + ", the chain ends before it"));
            }
        }
        return Optional.empty();
    }

    private static List<String> nodes(Connection c) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT node FROM audit_entry ORDER BY node"); ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                nodes.add(rows.getString(1));
            }
        }
        return nodes;
    }

    private static Map<Long, Checkpoints.Checkpoint> checkpoints(Connection c, String node) throws SQLException {
        Map<Long, Checkpoints.Checkpoint> result = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT node, seq, hash, at_micros, algorithm, signature FROM audit_checkpoint WHERE node = ?")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    result.put(rows.getLong("seq"), new Checkpoints.Checkpoint(rows.getString("node"), rows.getLong("seq"),
                            rows.getString("hash"), rows.getLong("at_micros"), rows.getString("algorithm"), rows.getString("signature")));
                }
            }
        }
        return result;
    }
}
