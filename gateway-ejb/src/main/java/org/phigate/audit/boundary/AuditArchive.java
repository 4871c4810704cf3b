// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.AuditJson;
import org.phigate.audit.control.ChainVerifier;
import org.phigate.audit.control.Checkpoints;

/**
 * Retention: the oldest part of a node's chain leaves the database for an archive file, and the chain that stays
 * can still be verified from its first entry on.
 * <ol>
 *   <li>The cut is a signed checkpoint: the last one whose entry is older than the cutoff. Everything from the
 *       chain's first stored entry through it goes into {@code audit-NODE-FROM-THROUGH.jsonl.gz}: a header line
 *       (node, positions, the hash before the first entry, the checkpoint) and one {@link AuditJson} line per entry.
 *       The file is written aside, forced to disk, then moved into place.</li>
 *   <li>The purge is recorded in the chain itself (a change entry, item {@value #ITEM}, naming the positions, the
 *       file and its SHA-256) and is durable before anything is deleted.</li>
 *   <li>Then the entries through the checkpoint, and the checkpoints before it, are deleted in one transaction
 *       (PostgreSQL: the only DELETE the append-only triggers let through). The checkpoint stays: it vouches for the
 *       hash the remaining chain starts from.</li>
 * </ol>
 * The verifier accepts a chain that starts after position 1 only where that checkpoint is there and signed and a
 * purge record in the chain names exactly that position. Deleting the head of a chain without both shows.
 */
public final class AuditArchive {

    /** The item of the purge record. */
    public static final String ITEM = "audit-retention";
    public static final String FORMAT = "phigate-audit-archive/1";

    /** What one purge took out of the database. */
    public record Purge(String node, long fromSeq, long throughSeq, long entries, Path file, String sha256) {

        /** The after-state of the purge record: what the verifier reads. */
        public String record() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            m.put("fromSeq", fromSeq);
            m.put("throughSeq", throughSeq);
            m.put("entries", entries);
            m.put("archive", file.getFileName().toString());
            m.put("sha256", sha256);
            return AuditJson.object(m);
        }
    }

    /** What an archive file holds, verified. */
    public record Verification(String node, long fromSeq, long throughSeq, long entries, Optional<String> problem) {
    }

    private AuditArchive() {
    }

    /**
     * Archives and purges the node's entries older than {@code cutoffMicros}, up to the last signed checkpoint among
     * them. {@code recorded} records the purge in the chain and says whether that record is durable; when it is not,
     * nothing is deleted (the file stays and is written again next time).
     *
     * @return the purge, or empty when no checkpoint is old enough
     */
    public static Optional<Purge> purge(Connection c, String node, long cutoffMicros, Path dir, Predicate<Purge> recorded)
            throws SQLException, IOException {
        c.setAutoCommit(true);
        Optional<Checkpoints.Checkpoint> anchor = anchor(c, node, cutoffMicros);
        if (anchor.isEmpty()) {
            return Optional.empty();
        }
        long through = anchor.get().seq();
        long from;
        String before;
        try (PreparedStatement s = c.prepareStatement("SELECT seq, prev_hash FROM audit_entry WHERE node = ? ORDER BY seq FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next() || rows.getLong(1) > through) {
                    return Optional.empty();
                }
                from = rows.getLong(1);
                before = rows.getString(2);
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("audit-" + node + "-" + from + "-" + through + ".jsonl.gz");
        Path partial = dir.resolve(file.getFileName() + ".partial");
        MessageDigest sha256 = sha256();
        long entries = 0;
        try (OutputStream raw = Files.newOutputStream(partial);
             Writer out = new OutputStreamWriter(new GZIPOutputStream(new DigestOutputStream(raw, sha256)), StandardCharsets.UTF_8)) {
            out.write(header(node, from, through, before, anchor.get()) + "\n");
            try (PreparedStatement s = c.prepareStatement("SELECT " + JdbcAuditStore.COLUMNS
                    + " FROM audit_entry WHERE node = ? AND seq BETWEEN ? AND ? ORDER BY seq")) {
                s.setFetchSize(1000);
                s.setString(1, node);
                s.setLong(2, from);
                s.setLong(3, through);
                c.setAutoCommit(false);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        out.write(AuditJson.write(JdbcAuditStore.read(rows)) + "\n");
                        entries++;
                    }
                }
                c.commit();
            }
        }
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Purge purge = new Purge(node, from, through, entries, file, HexFormat.of().formatHex(sha256.digest()));
        if (!recorded.test(purge)) {
            return Optional.empty();
        }
        delete(c, node, through);
        return Optional.of(purge);
    }

    /** The last signed checkpoint of the node whose entry is older than the cutoff. */
    private static Optional<Checkpoints.Checkpoint> anchor(Connection c, String node, long cutoffMicros) throws SQLException {
        String columns = JdbcAuditStore.CHECKPOINT_COLUMNS.replaceAll("(\\w+)", "c.$1");
        try (PreparedStatement s = c.prepareStatement("SELECT " + columns
                + " FROM audit_checkpoint c JOIN audit_entry e ON e.node = c.node AND e.seq = c.seq"
                + " WHERE c.node = ? AND e.at_micros < ? ORDER BY c.seq DESC FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, node);
            s.setLong(2, cutoffMicros);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(JdbcAuditStore.readCheckpoint(rows)) : Optional.empty();
            }
        }
    }

    private static void delete(Connection c, String node, long through) throws SQLException {
        c.setAutoCommit(false);
        try {
            if (c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL phigate.audit_purge = 'on'");
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_entry WHERE node = ? AND seq <= ?")) {
                s.setString(1, node);
                s.setLong(2, through);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_checkpoint WHERE node = ? AND seq < ?")) {
                s.setString(1, node);
                s.setLong(2, through);
                s.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String header(String node, long from, long through, String before, Checkpoints.Checkpoint cp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("node", node);
        m.put("fromSeq", from);
        m.put("throughSeq", through);
        m.put("prevHash", before);
        m.put("checkpointHash", cp.hash());
        m.put("checkpointAt", AuditJson.TIME.format(AuditClock.instant(cp.atMicros())));
        m.put("checkpointAtMicros", cp.atMicros());
        m.put("checkpointAlgorithm", cp.algorithm());
        m.put("checkpointSignature", cp.signature());
        return AuditJson.object(m);
    }

    /**
     * Verifies an archive on its own: its entries follow each other from the hash its header starts from, and end
     * at the hash of the checkpoint it closes with, whose signature {@code checkpointKey} verifies. The hash it starts
     * from is vouched for by the previous archive's checkpoint (or is the chain's genesis).
     */
    public static Verification verify(Path file, PublicKey checkpointKey) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + " is empty");
            }
            Map<String, Object> h = AuditJson.parse(first);
            if (!FORMAT.equals(h.get("format"))) {
                throw new IOException(file + " is not a PHIGate audit archive (" + FORMAT + ")");
            }
            String node = (String) h.get("node");
            long from = (Long) h.get("fromSeq");
            long through = (Long) h.get("throughSeq");
            Checkpoints.Checkpoint cp = new Checkpoints.Checkpoint(node, through, (String) h.get("checkpointHash"),
                    (Long) h.get("checkpointAtMicros"), (String) h.get("checkpointAlgorithm"), (String) h.get("checkpointSignature"));
            ChainVerifier verifier = new ChainVerifier(node, from, (String) h.get("prevHash"));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                AuditEntry entry = AuditJson.read(line);
                Optional<ChainVerifier.Break> bad = verifier.accept(entry);
                if (bad.isPresent()) {
                    return new Verification(node, from, through, verifier.verified(),
                            Optional.of("entry " + bad.get().seq() + ": " + bad.get().what()));
                }
            }
            Optional<String> problem = verifier.lastSeq() != through ? Optional.of("the archive ends at " + verifier.lastSeq() + ", its checkpoint is at " + through)
                    : !verifier.lastHash().equals(cp.hash()) ? Optional.of("the last entry differs from the signed checkpoint")
                    : !Checkpoints.verify(cp, checkpointKey) ? Optional.of("the checkpoint's signature does not verify")
                    : Optional.empty();
            return new Verification(node, from, through, verifier.verified(), problem);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
