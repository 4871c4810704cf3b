// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.AuditJson;
import org.phigate.audit.control.ChainVerifier;
import org.phigate.audit.control.Checkpoints;

/**
 * The verification of the audit tables on one JDBC connection: what {@code GET /api/audit/verify} runs inside the
 * server and {@link VerifyAuditTrail} runs from the command line, against the same tables, with the same verdict.
 */
public final class ChainWalk {

    /** The verdict of a verification: entries and checkpoints checked, and the first break, if any. */
    public record Verification(long entries, long checkpoints, Optional<ChainVerifier.Break> firstBad) {
    }

    static final int PROGRESS_STEP = 2000;

    private ChainWalk() {
    }

    /**
     * Walks every node's chain from its first stored entry, in constant memory, and checks every signed checkpoint on
     * the way. A chain whose head was archived ({@link AuditArchive}) starts from the signed checkpoint just before
     * its first entry, and a purge record in the chain must name that position.
     */
    public static Verification verify(Connection c, PublicKey checkpointKey) throws SQLException {
        return verify(c, checkpointKey, checked -> { });
    }

    /** As {@link #verify(Connection, PublicKey)}, telling {@code progress} how many entries are checked, every {@value #PROGRESS_STEP}. */
    public static Verification verify(Connection c, PublicKey checkpointKey, LongConsumer progress) throws SQLException {
        long entries = 0;
        long checked = 0;
        for (String node : nodes(c)) {
            Map<Long, Checkpoints.Checkpoint> checkpoints = checkpoints(c, node);
            long first = firstSeq(c, node);
            Checkpoints.Checkpoint anchor = checkpoints.get(first - 1);
            if (first > 1 && anchor == null) {
                return new Verification(entries, checked, Optional.of(new ChainVerifier.Break(node, 1, null,
                        "removed: positions 1 to " + (first - 1) + " are missing and no signed checkpoint bridges them")));
            }
            ChainVerifier verifier = first > 1 ? new ChainVerifier(node, first, anchor.hash()) : new ChainVerifier(node);
            Set<Long> purgedThrough = new HashSet<>();
            Optional<ChainVerifier.Break> bad = walk(c, node, verifier, checkpoints, purgedThrough, entries, progress);
            entries += verifier.verified();
            if (bad.isEmpty() && first > 1 && !purgedThrough.contains(first - 1)) {
                bad = Optional.of(new ChainVerifier.Break(node, first - 1, null, "removed: positions up to " + (first - 1)
                        + " are gone and no retention purge in the chain names them"));
            }
            if (bad.isEmpty()) {
                bad = pinned(node, verifier, checkpoints, checkpointKey);
            }
            if (bad.isPresent()) {
                return new Verification(entries, checked, bad);
            }
            checked += checkpoints.size();
        }
        return new Verification(entries, checked, Optional.empty());
    }

    private static Optional<ChainVerifier.Break> walk(Connection c, String node, ChainVerifier verifier, Map<Long, Checkpoints.Checkpoint> checkpoints,
                                                      Set<Long> purgedThrough, long before, LongConsumer progress) throws SQLException {
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
                    if (verifier.verified() % PROGRESS_STEP == 0) {
                        progress.accept(before + verifier.verified());
                    }
                    if (stored.kind() == AuditEntry.Kind.CHANGE && AuditArchive.ITEM.equals(stored.route()) && stored.after() != null) {
                        Map<String, Object> purge = AuditJson.parse(stored.after());
                        if (node.equals(purge.get("node")) && purge.get("throughSeq") instanceof Long through) {
                            purgedThrough.add(through);
                        }
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
    private static Optional<ChainVerifier.Break> pinned(String node, ChainVerifier verifier, Map<Long, Checkpoints.Checkpoint> checkpoints,
                                                       PublicKey checkpointKey) {
        for (Checkpoints.Checkpoint cp : checkpoints.values()) {
            if (!Checkpoints.verify(cp, checkpointKey)) {
                return Optional.of(new ChainVerifier.Break(node, cp.seq(), null, "the checkpoint at this position has no valid signature"));
            }
            if (cp.seq() > verifier.lastSeq()) {
                return Optional.of(new ChainVerifier.Break(node, verifier.lastSeq() + 1, null,
                        "removed: a checkpoint was signed at position " + cp.seq() + ", the chain ends before it"));
            }
        }
        return Optional.empty();
    }

    private static long firstSeq(Connection c, String node) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(seq) FROM audit_entry WHERE node = ?")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 1;
            }
        }
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
        try (PreparedStatement s = c.prepareStatement("SELECT " + JdbcAuditStore.CHECKPOINT_COLUMNS + " FROM audit_checkpoint WHERE node = ?")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    Checkpoints.Checkpoint cp = JdbcAuditStore.readCheckpoint(rows);
                    result.put(cp.seq(), cp);
                }
            }
        }
        return result;
    }
}
