// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One chained audit entry as the local journal stores it: a length, a CRC32C of what follows, the position, the
 * previous and own hash (32 bytes each), then the entry's canonical bytes, the same bytes its hash covers. A record
 * whose length or checksum does not hold is where the journal ends: a write torn by a crash, or space not written yet
 * (zeros). Layout, big-endian: {@code int length, int crc32c, long seq, byte[32] prev, byte[32] hash, canonical}.
 */
public final class JournalRecord {

    /** Length and checksum. */
    public static final int HEADER = 8;
    private static final int FIXED = Long.BYTES + 32 + 32;
    private static final HexFormat HEX = HexFormat.of();

    private JournalRecord() {
    }

    /** The bytes of a chained entry (seq and hashes set), header included. */
    public static byte[] encode(AuditChain.Linked linked) {
        AuditEntry e = linked.entry();
        if (e.kind() != AuditEntry.Kind.CHANGE && (e.before() != null || e.after() != null)) {
            throw new IllegalArgumentException("only a CHANGE entry holds states: its hash would not cover them");
        }
        byte[] canonical = linked.canonical();
        ByteBuffer out = ByteBuffer.allocate(HEADER + FIXED + canonical.length);
        out.putInt(FIXED + canonical.length).putInt(0).putLong(e.seq()).put(HEX.parseHex(e.prevHash())).put(HEX.parseHex(e.hash()))
                .put(canonical);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER, out.capacity() - HEADER);
        out.putInt(Integer.BYTES, (int) crc.getValue());
        return out.array();
    }

    /**
     * The length of the record starting at {@code offset} of {@code bytes} (header included), or empty where no whole,
     * intact record starts there.
     */
    public static Optional<Integer> size(ByteBuffer bytes, int offset) {
        if (bytes.limit() - offset < HEADER) {
            return Optional.empty();
        }
        int length = bytes.getInt(offset);
        if (length < FIXED || bytes.limit() - offset - HEADER < length) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.slice(offset + HEADER, length));
        return (int) crc.getValue() == bytes.getInt(offset + Integer.BYTES) ? Optional.of(HEADER + length) : Optional.empty();
    }

    /** The position of the intact record at {@code offset} (see {@link #size}). */
    public static long seq(ByteBuffer bytes, int offset) {
        return bytes.getLong(offset + HEADER);
    }

    /** The entry of the intact record at {@code offset} (see {@link #size}). */
    public static AuditEntry decode(ByteBuffer bytes, int offset) {
        byte[] canonical = new byte[bytes.getInt(offset) - FIXED];
        bytes.get(offset + HEADER + FIXED, canonical);
        return AuditChain.decode(canonical, previous(bytes, offset), hash(bytes, offset));
    }

    /** The own hash of the intact record at {@code offset}, as hex. */
    public static String hash(ByteBuffer bytes, int offset) {
        return hex(bytes, offset + HEADER + Long.BYTES + 32);
    }

    /** The previous hash the intact record at {@code offset} names, as hex. */
    public static String previous(ByteBuffer bytes, int offset) {
        return hex(bytes, offset + HEADER + Long.BYTES);
    }

    private static String hex(ByteBuffer bytes, int at) {
        byte[] hash = new byte[32];
        bytes.get(at, hash);
        return HEX.formatHex(hash);
    }
}
