// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.JournalStore;
import org.phigate.audit.control.LocalJournal;
import org.phigate.audit.control.Shipper;

/** The shipper between a journal on disk and a database the test takes away and gives back. */
class ShipperTest {

    @TempDir
    Path dir;

    private static final class Database implements Shipper.Target {
        final List<AuditEntry> rows = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile boolean hangs;
        volatile int syncs;

        @Override
        public void ship(List<AuditEntry> records) throws Exception {
            while (hangs) {
                Thread.sleep(10);
            }
            if (down) {
                throw new java.sql.SQLException("connection refused");
            }
            rows.addAll(records);
        }

        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public void probe() throws Exception {
            if (down) {
                throw new java.sql.SQLException("connection refused");
            }
        }
    }

    private final AuditChain chain = new AuditChain("node-s", 0, AuditChain.GENESIS);

    private List<AuditChain.Linked> linked(int count) {
        List<AuditChain.Linked> linked = chain.link(IntStream.range(0, count).mapToObj(i -> AuditEntry.access("req-" + i, 1L).build()).toList());
        chain.committed(linked);
        return linked;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void recordsLeftByACrashAreShippedAtStartAndLaterOnesAsTheyBecomeDurable() throws Exception {
        Database db = new Database();
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            journal.append(linked(5));
            Shipper shipper = new Shipper(journal, db, 2, 100, Duration.ofSeconds(5), Duration.ofMillis(1));
            shipper.shipAll(seq -> { });
            assertThat(db.rows).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L);
            shipper.start(Thread::new);
            JournalStore store = new JournalStore(journal, shipper, 1L << 30, 1000);
            store.append(linked(4));
            await(() -> shipper.shippedSeq() == 9, "shipped through 9");
            assertThat(db.rows).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            shipper.close();
        }
    }

    @Test
    void aFailedOrHangingDatabaseMakesTheJournalRefuseUntilItIsBack() throws Exception {
        Database db = new Database();
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            Shipper shipper = new Shipper(journal, db, 0, 100, Duration.ofMillis(200), Duration.ofMillis(1));
            shipper.start(Thread::new);
            JournalStore store = new JournalStore(journal, shipper, 1L << 30, 1000);
            db.down = true;
            store.append(linked(2));
            await(shipper::stalled, "the failed store seen");
            assertThatThrownBy(() -> store.append(linked(1))).hasMessageContaining("PHIG-5032");
            db.down = false;
            await(() -> !shipper.stalled(), "the store back");
            await(() -> shipper.shippedSeq() == 2, "the kept records shipped");

            db.hangs = true;
            store.append(chain.link(List.of(AuditEntry.access("req-h", 1L).build())));
            await(shipper::stalled, "a hanging store seen after the lag allowed");
            assertThatThrownBy(store::probe).hasMessageContaining("PHIG-5032");
            db.hangs = false;
            await(() -> !shipper.stalled(), "the store back after hanging");
            shipper.close();
        }
    }

    @Test
    void theWriterWaitsWhileTheDatabaseTrailsByMoreThanItsAllowance() throws Exception {
        Database db = new Database();
        db.hangs = true;
        try (LocalJournal journal = LocalJournal.open(dir, 1 << 20)) {
            Shipper shipper = new Shipper(journal, db, 0, 2, Duration.ofSeconds(30), Duration.ofMillis(1));
            shipper.start(Thread::new);
            JournalStore store = new JournalStore(journal, shipper, 1L << 30, 3);
            store.append(linked(4));
            java.util.concurrent.CompletableFuture<Void> waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    store.append(linked(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(waiting).as("held while the database trails by 4 > 3").isNotDone();
            assertThat(journal.durableSeq()).isEqualTo(4);
            db.hangs = false;
            waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(journal.durableSeq()).isEqualTo(5);
            await(() -> shipper.shippedSeq() == 5, "everything shipped");
            shipper.close();
        }
    }

    @Test
    void theJournalRefusesBeforeItTakesMoreThanItsShareOfTheDisk() throws Exception {
        Database db = new Database();
        db.hangs = true;
        try (LocalJournal journal = LocalJournal.open(dir, 4096)) {
            Shipper shipper = new Shipper(journal, db, 0, 100, Duration.ofSeconds(30), Duration.ofMillis(1));
            JournalStore store = new JournalStore(journal, shipper, 3 * 4096, 1000);
            for (int i = 0; i < 100 && journal.diskBytes() < 3 * 4096; i++) {
                store.append(linked(5));
            }
            assertThatThrownBy(() -> store.append(linked(1))).hasMessageContaining("PHIG-5036");
            db.hangs = false;
            shipper.close();
        }
    }
}
