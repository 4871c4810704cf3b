// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialChangesTest {

    /** One transaction per thread, ended by the test: the part of JTA that SerialChanges uses. */
    private static final class Transactions implements TransactionSynchronizationRegistry {
        private final ThreadLocal<Map<Object, Object>> resources = ThreadLocal.withInitial(HashMap::new);
        private final ThreadLocal<List<Synchronization>> synchronizations = ThreadLocal.withInitial(ArrayList::new);

        void end(int status) {
            synchronizations.get().forEach(s -> s.afterCompletion(status));
            synchronizations.remove();
            resources.remove();
        }

        @Override public Object getTransactionKey() { return Thread.currentThread(); }
        @Override public void putResource(Object key, Object value) { resources.get().put(key, value); }
        @Override public Object getResource(Object key) { return resources.get().get(key); }
        @Override public void registerInterposedSynchronization(Synchronization sync) { synchronizations.get().add(sync); }
        @Override public int getTransactionStatus() { return Status.STATUS_ACTIVE; }
        @Override public void setRollbackOnly() { }
        @Override public boolean getRollbackOnly() { return false; }
    }

    private final Transactions transactions = new Transactions();
    private final SerialChanges changes = new SerialChanges(transactions, Duration.ofMillis(300), () -> new IllegalStateException("busy"));
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aTransactionHoldsOneTurnUntilItEndsAndPublishesBeforeTheNextChangeStarts() throws Exception {
        SerialChanges.Turn first = changes.begin();
        assertThat(changes.begin()).isSameAs(first);
        first.publishOnCommit(() -> events.add("first published"));

        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            changes.begin();
            events.add("second started");
            transactions.end(Status.STATUS_COMMITTED);
        });
        Thread.sleep(100);
        assertThat(second).isNotDone();
        transactions.end(Status.STATUS_COMMITTED);
        second.get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("first published", "second started");
    }

    @Test
    void aRolledBackChangePublishesNothingAndGivesItsTurnBack() {
        changes.begin().publishOnCommit(() -> events.add("published"));
        transactions.end(Status.STATUS_ROLLEDBACK);
        changes.begin();
        transactions.end(Status.STATUS_COMMITTED);
        assertThat(events).isEmpty();
    }

    @Test
    void aChangeThatWaitsLongerThanAllowedIsRefused() throws Exception {
        changes.begin();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(changes::begin);
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("busy");
        transactions.end(Status.STATUS_COMMITTED);
    }
}
