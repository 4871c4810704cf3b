// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phigate.audit.control.AuditEntry;
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

    private ChainWalk() {
    }

    /** Walks every node's chain from its first entry, in constant memory, and checks every signed checkpoint on the way. */
    public static Verification verify(Connection c, PublicKey checkpointKey) throws SQLException {
        long entries = 0;
        long checked = 0;
        for (String node : nodes(c)) {
            Map<Long, Checkpoints.Checkpoint> checkpoints = checkpoints(c, node);
            ChainVerifier verifier = new ChainVerifier(node);
            Optional<ChainVerifier.Break> bad = walk(c, node, verifier, checkpoints);
            entries += verifier.verified();
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

    private static Optional<ChainVerifier.Break> walk(Connection c, String node, ChainVerifier verifier,
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
