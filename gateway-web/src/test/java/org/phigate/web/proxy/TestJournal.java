// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.spec.SecretKeySpec;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.GroupCommit;
import org.phigate.audit.control.NodeJournal;
import org.phigate.audit.control.Pseudonyms;

/**
 * The chain tests' audit journal: the real group commit and chain, over a store in memory that the test can take
 * down. The JDBC store and its transactions are tested against the real databases in the integration tests.
 */
final class TestJournal implements GroupCommit.Store {

    final List<AuditEntry> stored = new CopyOnWriteArrayList<>();
    /** Entries appended, kept or not. */
    final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
    private final boolean keep;
    volatile boolean down;
    /** What the data plane writes to. */
    final NodeJournal journal = new NodeJournal(
            new GroupCommit(new AuditChain("chain-test", 0, AuditChain.GENESIS), this, 10_000, 1_000, Thread::new),
            new Pseudonyms(new SecretKeySpec("chain-test pseudonym key 32 byte".getBytes(StandardCharsets.US_ASCII), "HmacSHA256")));

    TestJournal() {
        this(true);
    }

    /** A journal that only counts what it is given, for tests that measure what the gateway itself keeps in memory. */
    static TestJournal counting() {
        return new TestJournal(false);
    }

    private TestJournal(boolean keep) {
        this.keep = keep;
    }

    Pseudonyms pseudonyms() {
        return journal.pseudonyms();
    }

    @Override
    public void append(List<AuditChain.Linked> linked) throws SQLException {
        if (down) {
            throw new SQLException("the test took the audit store down");
        }
        appended.addAndGet(linked.size());
        if (keep) {
            stored.addAll(AuditChain.Linked.entries(linked));
        }
    }

    @Override
    public void probe() throws SQLException {
        if (down) {
            throw new SQLException("the test took the audit store down");
        }
    }

    /** The entries of one request, once {@code count} of them are stored (outcomes follow the response). */
    List<AuditEntry> of(String requestId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<AuditEntry> entries = stored.stream().filter(e -> e.requestId().equals(requestId)).toList();
            if (entries.size() >= count) {
                return entries;
            }
            Thread.sleep(10);
        }
        return stored.stream().filter(e -> e.requestId().equals(requestId)).toList();
    }
}
