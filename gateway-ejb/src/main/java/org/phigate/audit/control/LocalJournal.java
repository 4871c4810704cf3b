// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The node's audit chain on local disk, where an entry is durable before the request it records goes on: records
 * ({@link JournalRecord}) appended to preallocated segment files, one {@code FileChannel.force} per group, so that a
 * group costs one fdatasync of blocks that already exist. Each segment is named after the position of its first
 * record. At start the journal reads its records back, checks checksums, positions and hash links, and cuts a tail
 * torn by a crash; the {@link Shipper} then moves the records to the database and deletes segments the database
 * holds durably. Threads: one writer appends ({@link #append}); one shipper reads, deletes and prepares the next
 * segment; nothing else touches the files.
 */
public final class LocalJournal implements AutoCloseable {

    /** The last durable record: where the chain goes on. */
    public record Tail(long seq, String hash) {
    }

    private static final Logger LOG = Logger.getLogger(LocalJournal.class.getName());
    private static final String SEGMENT = ".journal";
    private static final String SPARE = "next.spare";
    private static final int ZEROS = 1 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private Tail tail;
    private FileChannel current;
    private long position;
    private volatile long durableSeq;

    private LocalJournal(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Opens the journal in {@code dir} (created if missing), finds its durable tail and cuts what follows it. */
    public static LocalJournal open(Path dir, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        LocalJournal journal = new LocalJournal(dir, segmentBytes);
        Files.deleteIfExists(dir.resolve(SPARE + ".tmp"));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SEGMENT))
                    .forEach(f -> journal.segments.put(firstSeqOf(f), f));
        }
        journal.recover();
        return journal;
    }

    private static long firstSeqOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SEGMENT.length()));
    }

    private Path segmentPath(long firstSeq) {
        return dir.resolve(String.format("%020d%s", firstSeq, SEGMENT));
    }

    /** Reads every segment in order; the journal ends at the first record that is torn, out of place or not linked. */
    private void recover() throws IOException {
        List<Map.Entry<Long, Path>> all = new ArrayList<>(segments.entrySet());
        for (int i = 0; i < all.size(); i++) {
            Path segment = all.get(i).getValue();
            if (tail != null && all.get(i).getKey() != tail.seq() + 1) {
                quarantine(all.subList(i, all.size()), "does not follow record " + tail.seq());
                break;
            }
            long end = scan(segment, all.get(i).getKey());
            boolean last = i == all.size() - 1;
            boolean damaged = !last && end < Files.size(segment) && writtenAt(segment, end);
            if (last || damaged) {
                current = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE);
                position = end;
                cutAfter(end);
            }
            if (damaged) {
                quarantine(all.subList(i + 1, all.size()), "follows a segment with a damaged record at offset " + end);
                break;
            }
        }
        durableSeq = tail == null ? 0 : tail.seq();
    }

    /** The offset after the segment's last good record; moves {@link #tail} along. */
    private long scan(Path segment, long first) throws IOException {
        try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer bytes = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size());
            int offset = 0;
            long expected = first;
            while (true) {
                Optional<Integer> size = JournalRecord.size(bytes, offset);
                if (size.isEmpty() || JournalRecord.seq(bytes, offset) != expected
                        || tail != null && !JournalRecord.previous(bytes, offset).equals(tail.hash())) {
                    return offset;
                }
                tail = new Tail(expected, JournalRecord.hash(bytes, offset));
                offset += size.get();
                expected++;
            }
        }
    }

    /** Whether anything but zeros (space never written) starts at {@code offset}. */
    private static boolean writtenAt(Path segment, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
            return writtenAt(in, offset);
        }
    }

    private static boolean writtenAt(FileChannel in, long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(JournalRecord.HEADER);
        in.read(header, offset);
        header.flip();
        return header.remaining() == JournalRecord.HEADER && header.getLong() != 0;
    }

    /** Overwrites a torn record (and anything after it) with zeros, so that no later scan reads it as a record. */
    private void cutAfter(long end) throws IOException {
        if (writtenAt(current, end)) {
            LOG.warning(() -> "PHIG-0415 the audit journal ended in a record torn by a crash; cut at offset " + end
                    + (tail == null ? "" : ", after record " + tail.seq()) + "; a request whose record was torn was not forwarded");
            zero(current, end, current.size());
            current.force(true);
        }
    }

    private void quarantine(List<Map.Entry<Long, Path>> rest, String why) throws IOException {
        for (Map.Entry<Long, Path> segment : rest) {
            Path kept = segment.getValue().resolveSibling(segment.getValue().getFileName() + ".damaged");
            Files.move(segment.getValue(), kept, StandardCopyOption.REPLACE_EXISTING);
            segments.remove(segment.getKey());
            LOG.severe(() -> "PHIG-0416 the audit journal segment " + kept + " " + why + "; kept aside, not shipped:"
                    + " compare it with the database before deleting it");
        }
    }

    private static void zero(FileChannel file, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(ZEROS);
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(ZEROS, to - at));
            at += file.write(zeros, at);
        }
    }

    /** The last durable record, if the journal holds any. */
    public Optional<Tail> tail() {
        return Optional.ofNullable(tail);
    }

    /**
     * Sets where the chain goes on when the database holds more than the journal (a journal that is empty, or was
     * shipped and lost): every segment is deleted and the next record is {@code lastSeq + 1}.
     */
    public void restartAfter(long lastSeq) throws IOException {
        if (tail != null && tail.seq() > lastSeq) {
            throw new IllegalStateException("the journal holds records after " + lastSeq + " that are not shipped");
        }
        if (current != null) {
            current.close();
            current = null;
        }
        for (Path segment : segments.values()) {
            Files.deleteIfExists(segment);
        }
        segments.clear();
        tail = null;
        durableSeq = lastSeq;
    }

    /**
     * Writes a linked group and forces it to disk; when this returns, every entry of it survives a process kill. A
     * group that fails leaves the journal where it was, so the same positions can be written again.
     */
    public void append(List<AuditChain.Linked> linked) throws IOException {
        if (linked.isEmpty()) {
            return;
        }
        byte[][] records = new byte[linked.size()][];
        int total = 0;
        for (int i = 0; i < records.length; i++) {
            records[i] = JournalRecord.encode(linked.get(i));
            total += records[i].length;
        }
        ByteBuffer group = ByteBuffer.allocate(total);
        for (byte[] r : records) {
            group.put(r);
        }
        group.flip();
        if (current == null || position > 0 && position + total > Math.max(segmentBytes, current.size())) {
            roll(linked.get(0).entry().seq());
        }
        for (long at = position; group.hasRemaining(); ) {
            at += current.write(group, at);
        }
        current.force(false);
        position += total;
        AuditEntry last = linked.get(linked.size() - 1).entry();
        tail = new Tail(last.seq(), last.hash());
        durableSeq = last.seq();
    }

    /** Starts the segment whose first record is {@code firstSeq}: the spare one if the shipper prepared it. */
    private void roll(long firstSeq) throws IOException {
        Path next = segmentPath(firstSeq);
        if (current != null) {
            current.close();
        }
        try {
            Files.move(dir.resolve(SPARE), next, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | AtomicMoveNotSupportedException e) {
            preallocate(next);
        }
        current = FileChannel.open(next, StandardOpenOption.READ, StandardOpenOption.WRITE);
        position = 0;
        segments.put(firstSeq, next);
    }

    private void preallocate(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            zero(out, 0, segmentBytes);
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Prepares the next segment ahead of the writer (zeros written and forced), so rolling over costs a rename. */
    public void prepareSpare() throws IOException {
        if (!Files.exists(dir.resolve(SPARE))) {
            preallocate(dir.resolve(SPARE));
        }
    }

    /** The position of the last record that is durable in the journal. */
    public long durableSeq() {
        return durableSeq;
    }

    /** What the journal takes on disk: its segments, spare aside. */
    public long diskBytes() {
        return segments.size() * segmentBytes;
    }

    /** Whether {@link #release} would delete a segment. */
    public boolean releasable(long shippedSeq) {
        Map.Entry<Long, Path> first = segments.firstEntry();
        Map.Entry<Long, Path> next = first == null ? null : segments.higherEntry(first.getKey());
        return next != null && next.getKey() <= shippedSeq + 1;
    }

    /**
     * Deletes the segments whose every record is at or before {@code shippedSeq}; the caller has made sure the
     * database holds those durably. The segment being written stays.
     */
    public int release(long shippedSeq) throws IOException {
        int deleted = 0;
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            Map.Entry<Long, Path> next = segments.higherEntry(segment.getKey());
            if (next == null || next.getKey() > shippedSeq + 1) {
                break;
            }
            Files.deleteIfExists(segment.getValue());
            segments.remove(segment.getKey());
            deleted++;
        }
        return deleted;
    }

    /** A reader of the records after {@code afterSeq}, for the shipper. */
    public Reader reader(long afterSeq) {
        return new Reader(afterSeq);
    }

    /** Reads records in order, never past what is durable; one shipper thread uses it. */
    public final class Reader implements AutoCloseable {
        private static final int CHUNK = 1 << 20;
        private long nextSeq;
        private long segment = -1;
        private FileChannel in;
        private long offset;
        private ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

        private Reader(long afterSeq) {
            this.nextSeq = afterSeq + 1;
        }

        /** Up to {@code max} records from where the last call ended; empty when none is durable yet. */
        public List<AuditEntry> next(int max) throws IOException {
            List<AuditEntry> read = new ArrayList<>();
            long through = durableSeq;
            while (read.size() < max && nextSeq <= through) {
                if (in == null && !openFor(nextSeq)) {
                    break;
                }
                chunk.clear();
                int n = in.read(chunk, offset);
                chunk.flip();
                int at = 0;
                while (n > 0 && read.size() < max && nextSeq <= through) {
                    Optional<Integer> size = JournalRecord.size(chunk, at);
                    if (size.isEmpty()) {
                        break;
                    }
                    long seq = JournalRecord.seq(chunk, at);
                    if (seq >= nextSeq) {
                        read.add(JournalRecord.decode(chunk, at));
                        nextSeq = seq + 1;
                    }
                    at += size.get();
                }
                offset += at;
                if (read.size() < max && nextSeq <= through && !moveOn(at, n)) {
                    break;
                }
            }
            return read;
        }

        /** After a chunk that ended before {@code max}: a larger chunk for a large record, or the next segment. */
        private boolean moveOn(int parsed, int readBytes) throws IOException {
            if (parsed > 0) {
                return true;
            }
            if (readBytes >= Integer.BYTES && chunk.getInt(0) > chunk.capacity() - JournalRecord.HEADER) {
                chunk = ByteBuffer.allocate(chunk.getInt(0) + JournalRecord.HEADER);
                return true;
            }
            Long following = segments.ceilingKey(segment + 1);
            if (following == null || following != nextSeq) {
                return false;
            }
            in.close();
            in = null;
            return true;
        }

        private boolean openFor(long seq) throws IOException {
            Map.Entry<Long, Path> holding = segments.floorEntry(seq);
            if (holding == null) {
                holding = segments.firstEntry();
                if (holding == null) {
                    return false;
                }
                long gapFrom = seq;
                long gapTo = holding.getKey();
                LOG.severe(() -> "PHIG-0416 the audit journal has no records " + gapFrom + " to " + (gapTo - 1) + "; shipping goes on"
                        + " after them, and the chain verification will show the gap");
                nextSeq = gapTo;
            }
            segment = holding.getKey();
            in = FileChannel.open(holding.getValue(), StandardOpenOption.READ);
            offset = 0;
            return true;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
