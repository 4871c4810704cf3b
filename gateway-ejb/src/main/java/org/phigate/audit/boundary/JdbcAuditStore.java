// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.Checkpoints;
import org.phigate.audit.control.Shipper;

/**
 * The audit tables through plain JDBC, where the shipper puts the journal's records: one batched INSERT, the shipped
 * position and one commit per batch, on a connection the shipper thread takes from the server's pool (no JTA
 * transaction is active on it). JPA would add an entity per entry and a flush per batch, for rows never updated.
 */
final class JdbcAuditStore implements Shipper.Target {

    static final String COLUMNS = "node, seq, kind, at_micros, request_id, subject, client_id, service_identity, source_ip, tls_protocol, "
            + "tls_cipher, method, route, path, resource_type, interaction, patient, decision, reason, break_glass, backend, status, "
            + "bytes_in, bytes_out, duration_micros, aborted, before_state, after_state, prev_hash, hash, vendor";
    private static final String INSERT = "INSERT INTO audit_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String CHECKPOINT_COLUMNS = "node, seq, hash, at_micros, algorithm, signature";
    private static final String CHECKPOINT = "INSERT INTO audit_checkpoint (" + CHECKPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String MOVE_CURSOR = "UPDATE audit_ship_cursor SET seq = ?, at_micros = ? WHERE node = ?";
    private static final String NEW_CURSOR = "INSERT INTO audit_ship_cursor (seq, at_micros, node) VALUES (?, ?, ?)";

    private final DataSource data;
    private final Checkpoints checkpoints;
    private final StoreDurability durability;

    private JdbcAuditStore(DataSource data, Checkpoints checkpoints, StoreDurability durability) {
        this.data = Objects.requireNonNull(data, "data");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.durability = Objects.requireNonNull(durability, "durability");
    }

    /** The store on this database, with what the database needs for a committed group to be durable set or checked. */
    static JdbcAuditStore open(DataSource data, Checkpoints checkpoints) throws SQLException {
        try (Connection c = data.getConnection()) {
            StoreDurability durability = StoreDurability.of(c);
            durability.prepare(c);
            return new JdbcAuditStore(data, checkpoints, durability);
        }
    }

    @Override
    public void ship(List<AuditEntry> linked) throws SQLException {
        AuditEntry tail = linked.get(linked.size() - 1);
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.due(tail, Math.max(tail.atMicros(), AuditClock.nowMicros()));
        try (Connection c = data.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (AuditEntry e : linked) {
                    bind(insert, e);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (checkpoint.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement(CHECKPOINT)) {
                    Checkpoints.Checkpoint cp = checkpoint.get();
                    insert.setString(1, cp.node());
                    insert.setLong(2, cp.seq());
                    insert.setString(3, cp.hash());
                    insert.setLong(4, cp.atMicros());
                    insert.setString(5, cp.algorithm());
                    insert.setString(6, cp.signature());
                    insert.executeUpdate();
                }
            }
            moveCursor(c, tail);
            commitOrRollBack(c);
        }
        checkpoint.ifPresent(checkpoints::committed);
    }

    private static void moveCursor(Connection c, AuditEntry tail) throws SQLException {
        try (PreparedStatement move = c.prepareStatement(MOVE_CURSOR)) {
            move.setLong(1, tail.seq());
            move.setLong(2, AuditClock.nowMicros());
            move.setString(3, tail.node());
            if (move.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(NEW_CURSOR)) {
            insert.setLong(1, tail.seq());
            insert.setLong(2, AuditClock.nowMicros());
            insert.setString(3, tail.node());
            insert.executeUpdate();
        }
    }

    @Override
    public void sync() throws SQLException {
        try (Connection c = data.getConnection()) {
            durability.sync(c);
        }
    }

    private static void commitOrRollBack(Connection c) throws SQLException {
        try {
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void probe() throws SQLException {
        try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("SELECT 1 FROM audit_checkpoint WHERE 1 = 0")) {
            s.executeQuery().close();
        }
    }

    /** A checkpoint from a row whose first columns are {@link #CHECKPOINT_COLUMNS}, in that order. */
    static Checkpoints.Checkpoint readCheckpoint(ResultSet rows) throws SQLException {
        return new Checkpoints.Checkpoint(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getLong(4), rows.getString(5),
                rows.getString(6));
    }

    /**
     * How far the node's journal has been shipped: the cursor, or for a chain written before the journal, its last
     * entry; 0 for a new chain.
     */
    static long shippedThrough(DataSource data, String node) throws SQLException {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_ship_cursor WHERE node = ?")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                if (rows.next()) {
                    return rows.getLong(1);
                }
            }
        }
        return last(data, node).map(AuditEntry::seq).orElse(0L);
    }

    /** The last position and hash of a node's chain in the database. */
    static Optional<AuditEntry> last(DataSource data, String node) throws SQLException {
        try (Connection c = data.getConnection();
             // MAX through the primary key: H2 answers ORDER BY seq DESC by reading the node's whole chain (7 s for
             // 1.6 million entries, long enough to fail a deployment), and MAX from the index's last entry.
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_entry WHERE node = ? AND seq ="
                     + " (SELECT MAX(seq) FROM audit_entry WHERE node = ?)")) {
            s.setString(1, node);
            s.setString(2, node);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static void bind(PreparedStatement s, AuditEntry e) throws SQLException {
        s.setString(1, e.node());
        s.setLong(2, e.seq());
        s.setString(3, String.valueOf(e.kind().code));
        s.setLong(4, e.atMicros());
        s.setString(5, e.requestId());
        text(s, 6, e.subject());
        text(s, 7, e.clientId());
        text(s, 8, e.serviceIdentity());
        text(s, 9, e.sourceIp());
        text(s, 10, e.tlsProtocol());
        text(s, 11, e.tlsCipher());
        text(s, 12, e.method());
        text(s, 13, e.route());
        text(s, 14, e.path());
        text(s, 15, e.resourceType());
        text(s, 16, e.interaction());
        text(s, 17, e.patient());
        s.setString(18, e.decision().name());
        text(s, 19, e.reason());
        s.setBoolean(20, e.breakGlass());
        text(s, 21, e.backend());
        s.setInt(22, e.status());
        s.setLong(23, e.bytesIn());
        s.setLong(24, e.bytesOut());
        s.setLong(25, e.durationMicros());
        s.setBoolean(26, e.aborted());
        text(s, 27, e.before());
        text(s, 28, e.after());
        s.setString(29, e.prevHash());
        s.setString(30, e.hash());
        text(s, 31, e.vendor());
    }

    private static void text(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    /** An entry as stored, read from a row of {@link #COLUMNS}. */
    static AuditEntry read(ResultSet r) throws SQLException {
        return new AuditEntry(AuditEntry.Kind.of(r.getString("kind").charAt(0)), r.getString("node"), r.getLong("seq"),
                r.getLong("at_micros"), r.getString("request_id"), r.getString("subject"), r.getString("client_id"),
                r.getString("service_identity"), r.getString("source_ip"), r.getString("tls_protocol"), r.getString("tls_cipher"),
                r.getString("method"), r.getString("route"), r.getString("path"), r.getString("resource_type"),
                r.getString("interaction"), r.getString("patient"), AuditEntry.Decision.valueOf(r.getString("decision")),
                r.getString("reason"), r.getBoolean("break_glass"), r.getString("backend"), r.getString("vendor"), r.getInt("status"),
                r.getLong("bytes_in"), r.getLong("bytes_out"), r.getLong("duration_micros"), r.getBoolean("aborted"),
                r.getString("before_state"), r.getString("after_state"), r.getString("prev_hash"), r.getString("hash"));
    }
}
