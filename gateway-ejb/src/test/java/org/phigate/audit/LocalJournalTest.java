// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.JournalRecord;
import org.phigate.audit.control.LocalJournal;

/** The journal on a real file system: what a crash leaves, what a restart reads back, what rolling over keeps. */
class LocalJournalTest {

    @TempDir
    Path dir;

    private final AuditChain chain = new AuditChain("node-j", 0, AuditChain.GENESIS);

    private List<AuditChain.Linked> linked(int from, int count) {
        List<AuditChain.Linked> linked = chain.link(IntStream.range(from, from + count).mapToObj(i -> AuditEntry.access("req-" + i, 1_700_000_000_000_000L + i)
                .caller("sub-" + i, "phigate-ehr", null).connection("127.0.0.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256")
                .request("GET", "fhir", "/fhir/Patient/*").fhir("Patient", "read", "pseudonym-" + i).vendor(i % 2 == 0 ? "acme" : null)
                .result(200, 0, 512, 1500, false).build()).toList());
        chain.committed(linked);
        return linked;
    }

    private static List<AuditEntry> readAll(LocalJournal journal, long after) throws IOException {
        List<AuditEntry> all = new ArrayList<>();
        try (LocalJournal.Reader reader = journal.reader(after)) {
            for (List<AuditEntry> batch = reader.next(7); !batch.isEmpty(); batch = reader.next(7)) {
                all.addAll(batch);
            }
        }
        return all;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".journal")).sorted().toList();
        }
    }

    @Test
    void whatWasForcedIsReadBackAfterARestartEntryForEntry() throws IOException {
        List<AuditEntry> written = new ArrayList<>();
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            for (int g = 0; g < 5; g++) {
                List<AuditChain.Linked> group = linked(g * 4, 4);
                journal.append(group);
                written.addAll(AuditChain.Linked.entries(group));
            }
        }
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            assertThat(journal.tail()).contains(new LocalJournal.Tail(20, written.get(19).hash()));
            assertThat(readAll(journal, 0)).isEqualTo(written);
            assertThat(readAll(journal, 13)).isEqualTo(written.subList(13, 20));
        }
    }

    @Test
    void aChangeKeepsItsStatesAndAnEntryWithoutVendorStaysWithout() throws IOException {
        AuditChain.Linked linked = chain.link(List.of(AuditEntry.change("chg-1", 1_700_000_000_000_000L).caller("admin", "console", null)
                .request("PUT", "pool:lab", "/api/pools/lab").states("{\"a\":1}", null).build())).get(0);
        AuditEntry change = linked.entry();
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            journal.append(List.of(linked));
            assertThat(readAll(journal, 0)).containsExactly(change);
            assertThat(AuditChain.hash(AuditChain.GENESIS, readAll(journal, 0).get(0))).isEqualTo(change.hash());
        }
    }

    @Test
    void aRecordTornByACrashIsCutAndItsPositionWrittenAgain() throws IOException {
        List<AuditChain.Linked> kept;
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            kept = linked(0, 3);
            journal.append(kept);
            journal.append(linked(3, 2));
        }
        Path segment = segments().get(0);
        long end = kept.stream().mapToLong(e -> JournalRecord.encode(e).length).sum();
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {0x7f, 0x13, 0x55}), end + 20);   // the fourth record half-written
        }
        String keptHash = kept.get(2).entry().hash();
        AuditChain resumed = new AuditChain("node-j", 3, keptHash);
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            assertThat(journal.tail()).contains(new LocalJournal.Tail(3, keptHash));
            List<AuditChain.Linked> again = resumed.link(List.of(AuditEntry.access("req-again", 1L).build()));
            journal.append(again);
            assertThat(readAll(journal, 0)).containsExactly(kept.get(0).entry(), kept.get(1).entry(), kept.get(2).entry(), again.get(0).entry());
        }
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            assertThat(journal.tail().orElseThrow().seq()).isEqualTo(4);
        }
    }

    @Test
    void recordsRollOverIntoNewSegmentsAndShippedSegmentsAreReleased() throws IOException {
        List<AuditEntry> written = new ArrayList<>();
        try (LocalJournal journal = LocalJournal.open(dir, 4096)) {
            journal.prepareSpare();
            for (int g = 0; g < 30; g++) {
                List<AuditChain.Linked> group = linked(g * 3, 3);
                journal.append(group);
                written.addAll(AuditChain.Linked.entries(group));
            }
            assertThat(segments()).hasSizeGreaterThan(5);
            assertThat(readAll(journal, 0)).isEqualTo(written);
            int before = segments().size();
            assertThat(journal.releasable(45)).isTrue();
            journal.release(45);
            assertThat(segments()).hasSizeLessThan(before);
            assertThat(readAll(journal, 45)).isEqualTo(written.subList(45, 90));
            journal.release(90);
            assertThat(segments()).hasSize(1);
        }
        try (LocalJournal journal = LocalJournal.open(dir, 4096)) {
            assertThat(journal.tail().orElseThrow().seq()).isEqualTo(90);
        }
    }

    @Test
    void aReaderFollowingTheWriterSeesEveryRecordOnceWhereverASegmentEnds() throws IOException {
        for (int segmentBytes = 700; segmentBytes < 900; segmentBytes++) {
            AuditChain fresh = new AuditChain("node-j", 0, AuditChain.GENESIS);
            Path sub = Files.createDirectories(dir.resolve("s" + segmentBytes));
            List<AuditEntry> written = new ArrayList<>();
            List<AuditEntry> read = new ArrayList<>();
            try (LocalJournal journal = LocalJournal.open(sub, segmentBytes); LocalJournal.Reader reader = journal.reader(0)) {
                for (int g = 0; g < 60; g++) {
                    int size = 1 + g % 4;
                    List<AuditChain.Linked> group = fresh.link(IntStream.range(0, size).mapToObj(i -> AuditEntry.access("r".repeat(1 + (i * 5 + 3) % 11), 1L).build()).toList());
                    fresh.committed(group);
                    journal.append(group);
                    written.addAll(AuditChain.Linked.entries(group));
                    read.addAll(reader.next(g % 3 + 1));
                }
                for (List<AuditEntry> batch = reader.next(5); !batch.isEmpty(); batch = reader.next(5)) {
                    read.addAll(batch);
                }
            }
            assertThat(read).as("segments of %d bytes", segmentBytes).isEqualTo(written);
        }
    }

    @Test
    void aJournalBehindTheDatabaseStartsAfterTheDatabasesLastEntryButNeverDropsUnshippedRecords() throws IOException {
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            journal.append(linked(0, 3));
            assertThatThrownBy(() -> journal.restartAfter(2)).isInstanceOf(IllegalStateException.class);
            journal.restartAfter(10);
            assertThat(segments()).isEmpty();
            assertThat(journal.durableSeq()).isEqualTo(10);
        }
    }
}
