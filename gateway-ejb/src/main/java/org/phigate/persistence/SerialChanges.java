// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Changes to one registry, one transaction at a time: a transaction takes its turn at its first {@link #begin} and
 * holds it until it has ended and, when it committed, its publication has run. So publications follow commit order,
 * and no change is computed from a registry another transaction is still writing, while readers take no lock at all.
 * The turn is fair: a change waits behind those that asked before it.
 */
public final class SerialChanges {

    private final TransactionSynchronizationRegistry transactions;
    private final Object key = new Object();
    private final Semaphore turn = new Semaphore(1, true);
    private final Duration wait;
    private final Supplier<? extends RuntimeException> busy;

    /** @param busy what {@link #begin} throws when the change before has not ended within {@code wait} */
    public SerialChanges(TransactionSynchronizationRegistry transactions, Duration wait, Supplier<? extends RuntimeException> busy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.busy = Objects.requireNonNull(busy, "busy");
    }

    /** Takes the current transaction's turn, waiting for the change before it; a second call in it returns the same turn. */
    public Turn begin() {
        Turn current = (Turn) transactions.getResource(key);
        if (current != null) {
            return current;
        }
        try {
            if (!turn.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy.get();
        }
        Turn taken = new Turn();
        try {
            transactions.registerInterposedSynchronization(taken);
        } catch (RuntimeException e) {
            turn.release();
            throw e;
        }
        transactions.putResource(key, taken);   // from here the synchronization gives the turn back
        return taken;
    }

    /** One transaction's turn. */
    public final class Turn implements Synchronization {

        private Runnable publication = () -> { };

        private Turn() {
        }

        /** What runs once the transaction has committed, before the next change may start; a later call replaces it. */
        public void publishOnCommit(Runnable publication) {
            this.publication = Objects.requireNonNull(publication, "publication");
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            try {
                if (status == Status.STATUS_COMMITTED) {
                    publication.run();
                }
            } finally {
                turn.release();
            }
        }
    }
}
