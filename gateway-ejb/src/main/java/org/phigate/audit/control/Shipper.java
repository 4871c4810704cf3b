// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves the local journal's durable records to the database in large batches, on a thread of its own, so that
 * search, verification, syslog forwarding and retention read them there: the position shipped moves in the same
 * transaction as the rows ({@link Target#ship}), so a crash on either side ships a record again or not at all, never
 * twice. Segments are deleted only after the database has them durably ({@link Target#sync}). A database that fails
 * or hangs stops shipping; {@link #stalled} then tells the journal to refuse new records, so that a request is
 * refused rather than held on a node whose records no one can search.
 */
public final class Shipper implements AutoCloseable {

    /** Where the records go: the audit tables. */
    public interface Target {
        /** Stores the records and moves the shipped position to the last of them, in one transaction. */
        void ship(List<AuditEntry> records) throws Exception;

        /** Makes what was shipped so far durable (a no-op where COMMIT already is). */
        void sync() throws Exception;

        /** Throws while the database cannot take records. */
        void probe() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Shipper.class.getName());
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LocalJournal journal;
    private final Target target;
    private final LocalJournal.Reader reader;
    private final int maxBatch;
    private final long maxLagNanos;
    private final long gatherNanos;
    private volatile long shippedSeq;
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean targetUp = true;
    private volatile boolean running = true;
    private long syncedSeq;
    /** A batch read from the journal that the store refused: shipped again before anything after it. */
    private List<AuditEntry> unshipped = List.of();
    private Thread thread;

    /**
     * @param shippedSeq  the position the database holds
     * @param maxLag      how long shipping may make no progress while records wait before the journal refuses more
     * @param gather      how long the shipper lets records gather after a batch smaller than {@code maxBatch}
     */
    public Shipper(LocalJournal journal, Target target, long shippedSeq, int maxBatch, java.time.Duration maxLag, java.time.Duration gather) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.target = Objects.requireNonNull(target, "target");
        this.shippedSeq = shippedSeq;
        this.syncedSeq = shippedSeq;
        this.reader = journal.reader(shippedSeq);
        this.maxBatch = maxBatch;
        this.maxLagNanos = maxLag.toNanos();
        this.gatherNanos = gather.toNanos();
    }

    /** Ships everything durable now, on the calling thread: at start, before the node serves. */
    public void shipAll(java.util.function.LongConsumer progress) throws Exception {
        for (List<AuditEntry> batch = reader.next(maxBatch); !batch.isEmpty(); batch = reader.next(maxBatch)) {
            target.ship(batch);
            shippedSeq = batch.get(batch.size() - 1).seq();
            progress.accept(shippedSeq);
        }
        progressNanos = System.nanoTime();
    }

    public void start(ThreadFactory threads) {
        thread = threads.newThread(this::run);
        thread.start();
    }

    /** The writer calls this after each durable group. */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        long pause = TimeUnit.MILLISECONDS.toNanos(50);
        while (running || shippedSeq < journal.durableSeq() && targetUp) {
            try {
                if (!targetUp) {
                    target.probe();
                }
                List<AuditEntry> batch = unshipped.isEmpty() ? reader.next(maxBatch) : unshipped;
                if (batch.isEmpty()) {
                    idle();
                    continue;
                }
                unshipped = batch;
                target.ship(batch);
                unshipped = List.of();
                shippedSeq = batch.get(batch.size() - 1).seq();
                progressNanos = System.nanoTime();
                recovered();
                release();
                pause = TimeUnit.MILLISECONDS.toNanos(50);
                if (batch.size() < maxBatch && running) {
                    LockSupport.parkNanos(gatherNanos);
                }
            } catch (Exception | LinkageError e) {
                failed(e);
                LockSupport.parkNanos(pause);
                pause = Math.min(TimeUnit.SECONDS.toNanos(1), pause * 2);
            }
        }
    }

    /** Nothing to ship: the time to prepare the next segment. */
    private void idle() throws Exception {
        progressNanos = System.nanoTime();
        release();
        if (running) {
            LockSupport.parkNanos(IDLE_NANOS);
        }
    }

    /** Deletes the segments the store holds, once it holds them durably, and prepares the next segment. */
    private void release() throws Exception {
        if (syncedSeq < shippedSeq && journal.releasable(shippedSeq)) {
            long shipped = shippedSeq;
            target.sync();
            syncedSeq = shipped;
            journal.release(shipped);
        }
        journal.prepareSpare();
    }

    private void recovered() {
        if (!targetUp) {
            targetUp = true;
            LOG.warning(() -> "PHIG-0401 the audit store is back; the journal ships again from record " + shippedSeq);
        }
    }

    private void failed(Throwable cause) {
        if (targetUp) {
            targetUp = false;
            LOG.log(Level.SEVERE, "PHIG-5032 the audit store failed; the journal keeps records that are durable and refuses new"
                    + " ones until the store is back", cause);
        }
    }

    /** Whether the journal should take no more records: the store failed, or shipping made no progress for too long. */
    public boolean stalled() {
        return !targetUp || shippedSeq < journal.durableSeq() && System.nanoTime() - progressNanos > maxLagNanos;
    }

    public long shippedSeq() {
        return shippedSeq;
    }

    /** Ships what is durable (for at most ten seconds), then stops. */
    @Override
    public void close() throws InterruptedException, IOException {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        reader.close();
    }
}
