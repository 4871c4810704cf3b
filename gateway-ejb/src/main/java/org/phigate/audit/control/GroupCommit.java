// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit of audit entries: callers on any thread (the data plane's I/O threads among them) hand an entry
 * over without waiting and get a future that completes when the entry is durable. One writer thread takes every
 * entry that has arrived, links them into the chain and stores them in one transaction, so that many concurrent
 * requests share one commit. When the store fails, the entries that a request waits for fail at once (the
 * request is refused: fail-closed), the others are kept and written with the next commit that succeeds, and the
 * writer tries again after a short pause: the journal recovers by itself when the store returns.
 */
public final class GroupCommit implements AutoCloseable {

    /** Where entries become durable: one call, one transaction; throws when nothing was stored. */
    public interface Store {
        void append(List<AuditChain.Linked> linked) throws Exception;

        /** Throws while the store cannot take entries; tried while it is down and nothing else is to be written. */
        void probe() throws Exception;
    }

    /** The journal cannot take more entries now; a request that needs its entry refuses instead of waiting. */
    public static final class Overloaded extends IllegalStateException {
        Overloaded() {
            super("PHIG-5034 the audit journal is full");
        }
    }

    private record Pending(AuditEntry entry, boolean awaited, CompletableFuture<Void> durable) {
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final long MAX_PAUSE_MILLIS = 1000;

    private final AuditChain chain;
    private final Store store;
    private final BlockingQueue<Pending> queue;
    private final Deque<Pending> retry = new ArrayDeque<>();
    private final int maxBatch;
    private final int maxRetained;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean storeUp = true;
    private volatile long committedEntries;
    private volatile long commits;

    public GroupCommit(AuditChain chain, Store store, int capacity, int maxBatch, ThreadFactory threads) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.store = Objects.requireNonNull(store, "store");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxRetained = capacity;
        this.writer = threads.newThread(this::write);
        this.writer.start();
    }

    /**
     * @param awaited whether a request waits for this entry before it goes on; such an entry fails rather than
     *                waits while the store is down, the others are retained and retried
     */
    public CompletableFuture<Void> append(AuditEntry entry, boolean awaited) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("PHIG-5035 the audit journal is stopped"));
        }
        if (awaited && !storeUp) {
            return CompletableFuture.failedFuture(new IllegalStateException("PHIG-5032 the audit store is unavailable"));
        }
        Pending pending = new Pending(entry, awaited, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new Overloaded());
        }
        return pending.durable();
    }

    public boolean storeUp() {
        return storeUp;
    }

    public long committedEntries() {
        return committedEntries;
    }

    public long commits() {
        return commits;
    }

    private void write() {
        long pause = 50;
        while (running || !queue.isEmpty()) {
            List<Pending> batch = nextBatch();
            if (batch.isEmpty()) {
                if (!storeUp && probe()) {
                    pause = 50;
                } else if (!storeUp) {
                    sleep(pause);
                    pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
                }
                continue;
            }
            if (commit(batch)) {
                pause = 50;
            } else {
                sleep(pause);
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
        }
        if (!retry.isEmpty()) {
            int unwritten = retry.size();
            LOG.severe(() -> "PHIG-5033 " + unwritten + " audit outcome entries were not written before the journal stopped");
        }
    }

    private boolean probe() {
        try {
            store.probe();
        } catch (Exception | LinkageError e) {
            return false;
        }
        storeUp = true;
        LOG.warning(() -> "PHIG-0401 the audit store is back; audited requests are forwarded again");
        return true;
    }

    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>();
        while (!retry.isEmpty() && batch.size() < maxBatch) {
            batch.add(retry.poll());
        }
        try {
            if (batch.isEmpty()) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    return batch;
                }
                batch.add(first);
            }
            queue.drainTo(batch, maxBatch - batch.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return batch;
    }

    private boolean commit(List<Pending> batch) {
        List<AuditChain.Linked> linked = chain.link(batch.stream().map(Pending::entry).toList());
        try {
            store.append(linked);
        } catch (Exception | LinkageError e) {
            failed(batch, e);
            return false;
        }
        chain.committed(linked);
        committedEntries += linked.size();
        commits++;
        if (!storeUp) {
            storeUp = true;
            LOG.warning(() -> "PHIG-0401 the audit store is back; audited requests are forwarded again");
        }
        batch.forEach(p -> p.durable().complete(null));
        return true;
    }

    private void failed(List<Pending> batch, Throwable cause) {
        if (storeUp) {
            storeUp = false;
            LOG.log(Level.SEVERE, "PHIG-5032 the audit store failed; requests that need an audit record are refused until it is back", cause);
        }
        IllegalStateException unavailable = new IllegalStateException("PHIG-5032 the audit store is unavailable", cause);
        int dropped = 0;
        for (Pending p : batch) {
            if (p.awaited()) {
                p.durable().completeExceptionally(unavailable);
            } else if (retry.size() < maxRetained) {
                retry.add(p);
            } else {
                dropped++;
                p.durable().completeExceptionally(unavailable);
            }
        }
        if (dropped > 0) {
            int lost = dropped;
            LOG.severe(() -> "PHIG-5033 " + lost + " audit outcome entries could not be kept while the store is down");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what has been handed over, then stops the writer; entries handed over later are refused. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
