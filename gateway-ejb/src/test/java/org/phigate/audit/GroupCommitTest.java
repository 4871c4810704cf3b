// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.GroupCommit;

/** The group commit against an in-memory store whose commits the test holds back or fails. */
class GroupCommitTest {

    private static final class Store implements GroupCommit.Store {
        final List<List<AuditEntry>> commits = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void append(List<AuditChain.Linked> linked) throws Exception {
            gate.await(5, TimeUnit.SECONDS);
            if (down) {
                throw new java.sql.SQLException("connection refused");
            }
            commits.add(AuditChain.Linked.entries(linked));
        }

        @Override
        public void probe() throws Exception {
            if (down) {
                throw new java.sql.SQLException("connection refused");
            }
        }
    }

    private static AuditEntry entry(String id) {
        return AuditEntry.access(id, 1).build();
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void entriesThatArriveDuringACommitShareTheNext() throws Exception {
        Store store = new Store();
        try (GroupCommit journal = new GroupCommit(new AuditChain("n", 0, AuditChain.GENESIS), store, 1000, 500, Thread::new)) {
            await(journal.append(entry("first"), true));
            store.gate = new CountDownLatch(1);
            CompletableFuture<Void> held = journal.append(entry("held"), true);
            Thread.sleep(100);
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                waiting.add(journal.append(entry("r" + i), true));
            }
            store.gate.countDown();
            await(CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)));
            await(held);

            assertThat(store.commits).hasSize(3);
            assertThat(store.commits.get(2)).hasSize(50);
            assertThat(store.commits.stream().flatMap(List::stream).map(AuditEntry::seq).toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 52).boxed().toList());
        }
    }

    @Test
    void whileTheStoreIsDownAwaitedEntriesFailAndTheOthersAreWrittenWhenItReturns() throws Exception {
        Store store = new Store();
        try (GroupCommit journal = new GroupCommit(new AuditChain("n", 0, AuditChain.GENESIS), store, 1000, 500, Thread::new)) {
            store.down = true;
            CompletableFuture<Void> access = journal.append(entry("access"), true);
            CompletableFuture<Void> outcome = journal.append(entry("outcome"), false);

            assertThat(access).failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("PHIG-5032");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (journal.storeUp() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(journal.storeUp()).isFalse();
            assertThat(journal.append(entry("refused at once"), true)).isCompletedExceptionally();

            store.down = false;
            await(outcome);
            await(journal.append(entry("after"), true));
            assertThat(store.commits.stream().flatMap(List::stream).map(AuditEntry::requestId)).containsExactly("outcome", "after");
            assertThat(store.commits.stream().flatMap(List::stream).map(AuditEntry::seq)).containsExactly(1L, 2L);
        }
    }

    @Test
    void aFullJournalRefusesInsteadOfQueueingWithoutBound() throws Exception {
        Store store = new Store();
        store.gate = new CountDownLatch(1);
        try (GroupCommit journal = new GroupCommit(new AuditChain("n", 0, AuditChain.GENESIS), store, 10, 5, Thread::new)) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                futures.add(journal.append(entry("r" + i), true));
            }

            assertThat(futures.stream().filter(CompletableFuture::isCompletedExceptionally)).isNotEmpty();
            store.gate.countDown();
        }
    }
}
