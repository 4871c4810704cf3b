// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The hash chain of one node: each entry's hash is SHA-256 over the previous entry's hash and the entry's
 * canonical bytes (every field, in a fixed order, length-prefixed, its node and position included), so that
 * changing, removing, inserting or reordering an entry breaks the chain at that entry. Signed checkpoints
 * (see {@link Checkpoints}) pin the chain, so that rewriting a whole tail is found too. Not thread-safe: one
 * writer owns a node's chain.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private final String node;
    private final MessageDigest sha = sha256();
    private long seq;
    private String last;

    /** Continues the chain after its last committed entry ({@code 0} and {@link #GENESIS} for a new chain). */
    public AuditChain(String node, long lastSeq, String lastHash) {
        this.node = Objects.requireNonNull(node, "node");
        this.seq = lastSeq;
        this.last = Objects.requireNonNull(lastHash, "lastHash");
    }

    /**
     * The batch as it would follow the committed chain, each entry with its canonical bytes (encoded once: the hash
     * covers them and the journal stores them); the chain itself moves only on {@link #committed}.
     */
    public List<Linked> link(List<AuditEntry> batch) {
        List<Linked> linked = new ArrayList<>(batch.size());
        long position = seq;
        String previous = last;
        for (AuditEntry entry : batch) {
            position++;
            AuditEntry placed = entry.chained(node, position, previous, null);
            byte[] canonical = canonical(placed);
            String hash = hash(sha, previous, canonical);
            linked.add(new Linked(placed.chained(node, position, previous, hash), canonical));
            previous = hash;
        }
        return linked;
    }

    /** Records that a linked batch is durable: the next batch follows it. */
    public void committed(List<Linked> linked) {
        if (!linked.isEmpty()) {
            AuditEntry tail = linked.get(linked.size() - 1).entry();
            seq = tail.seq();
            last = tail.hash();
        }
    }

    /** A chained entry (position and hashes set) and the canonical bytes its hash covers. */
    public record Linked(AuditEntry entry, byte[] canonical) {

        /** The entries of a linked batch. */
        public static List<AuditEntry> entries(List<Linked> linked) {
            return linked.stream().map(Linked::entry).toList();
        }
    }

    public String node() {
        return node;
    }

    public long lastSeq() {
        return seq;
    }

    public String lastHash() {
        return last;
    }

    public static String hash(String previous, AuditEntry entry) {
        return hash(sha256(), previous, canonical(entry));
    }

    private static String hash(MessageDigest sha, String previous, byte[] canonical) {
        sha.update(previous.getBytes(StandardCharsets.US_ASCII));
        sha.update(canonical);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The bytes the hash covers: each field as a marker byte (0 absent, 1 present), a 4-byte length and UTF-8. A
     * CHANGE entry adds the item before and after; access and outcome entries are encoded as they always were, so
     * that chains written before admin changes were recorded still verify. The vendor is added only where there is one,
     * for the same reason: entries written before business associates were recorded keep their hash.
     */
    static byte[] canonical(AuditEntry e) {
        Canonical out = new Canonical();
        out.add(String.valueOf(e.kind().code)).add(e.node()).add(Long.toString(e.seq())).add(Long.toString(e.atMicros()))
                .add(e.requestId()).add(e.subject()).add(e.clientId()).add(e.serviceIdentity()).add(e.sourceIp())
                .add(e.tlsProtocol()).add(e.tlsCipher()).add(e.method()).add(e.route()).add(e.path())
                .add(e.resourceType()).add(e.interaction()).add(e.patient()).add(e.decision().name()).add(e.reason())
                .add(Boolean.toString(e.breakGlass())).add(e.backend()).add(Integer.toString(e.status()))
                .add(Long.toString(e.bytesIn())).add(Long.toString(e.bytesOut())).add(Long.toString(e.durationMicros()))
                .add(Boolean.toString(e.aborted()));
        if (e.kind() == AuditEntry.Kind.CHANGE) {
            out.add(e.before()).add(e.after());
        }
        if (e.vendor() != null) {
            out.add(e.vendor());
        }
        return out.toByteArray();
    }

    /** The entry whose {@link #canonical} bytes these are, with the hashes the chain gave it. */
    static AuditEntry decode(byte[] canonical, String prevHash, String hash) {
        Fields in = new Fields(canonical);
        AuditEntry.Kind kind = AuditEntry.Kind.of(in.text().charAt(0));
        String node = in.text();
        long seq = in.number();
        long at = in.number();
        String requestId = in.text(), subject = in.text(), clientId = in.text(), serviceIdentity = in.text(), sourceIp = in.text();
        String tlsProtocol = in.text(), tlsCipher = in.text(), method = in.text(), route = in.text(), path = in.text();
        String resourceType = in.text(), interaction = in.text(), patient = in.text();
        AuditEntry.Decision decision = AuditEntry.Decision.valueOf(in.text());
        String reason = in.text();
        boolean breakGlass = in.flag();
        String backend = in.text();
        int status = (int) in.number();
        long bytesIn = in.number(), bytesOut = in.number(), duration = in.number();
        boolean aborted = in.flag();
        boolean change = kind == AuditEntry.Kind.CHANGE;
        String before = change ? in.text() : null;
        String after = change ? in.text() : null;
        String vendor = in.more() ? in.text() : null;
        return new AuditEntry(kind, node, seq, at, requestId, subject, clientId, serviceIdentity, sourceIp, tlsProtocol, tlsCipher,
                method, route, path, resourceType, interaction, patient, decision, reason, breakGlass, backend, vendor, status,
                bytesIn, bytesOut, duration, aborted, before, after, prevHash, hash);
    }

    /** Reads back what {@link Canonical} wrote, field by field. */
    private static final class Fields {
        private final java.nio.ByteBuffer in;

        Fields(byte[] canonical) {
            this.in = java.nio.ByteBuffer.wrap(canonical);
        }

        String text() {
            if (in.get() == 0) {
                return null;
            }
            byte[] utf8 = new byte[in.getInt()];
            in.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        long number() {
            return Long.parseLong(text());
        }

        boolean flag() {
            return Boolean.parseBoolean(text());
        }

        boolean more() {
            return in.hasRemaining();
        }
    }

    /** A growing byte array: the canonical form of one entry is a few hundred bytes, written once. */
    private static final class Canonical {
        private byte[] bytes = new byte[512];
        private int size;

        Canonical add(String field) {
            if (field == null) {
                room(1);
                bytes[size++] = 0;
                return this;
            }
            byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
            room(5 + utf8.length);
            bytes[size++] = 1;
            bytes[size++] = (byte) (utf8.length >>> 24);
            bytes[size++] = (byte) (utf8.length >>> 16);
            bytes[size++] = (byte) (utf8.length >>> 8);
            bytes[size++] = (byte) utf8.length;
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
