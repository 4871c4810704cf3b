// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the group commit makes entries durable: the local journal, which takes a group only while the database keeps
 * up with it and the journal's disk share is not used up. When the database falls behind by more than
 * {@code maxUnshipped} records, the writer waits for it (requests slow down to what the database takes); when it makes
 * no progress for the shipper's lag allowance, or the disk share is used up, the group is refused (the request gets
 * 503, nothing is forwarded). So every forwarded request can be found in the audit store within seconds, a restart
 * ships little, and the journal never fills the disk.
 */
public final class JournalStore implements GroupCommit.Store {

    private static final long WAIT_NANOS = 200_000;

    private final LocalJournal journal;
    private final Shipper shipper;
    private final long maxBytes;
    private final long maxUnshipped;

    public JournalStore(LocalJournal journal, Shipper shipper, long maxBytes, long maxUnshipped) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.shipper = Objects.requireNonNull(shipper, "shipper");
        this.maxBytes = maxBytes;
        this.maxUnshipped = maxUnshipped;
    }

    @Override
    public void append(List<AuditChain.Linked> linked) throws Exception {
        probe();
        while (journal.durableSeq() - shipper.shippedSeq() > maxUnshipped) {
            shipper.wake();
            LockSupport.parkNanos(WAIT_NANOS);
            probe();
        }
        journal.append(linked);
        shipper.wake();
    }

    @Override
    public void probe() {
        if (shipper.stalled()) {
            throw new IllegalStateException("PHIG-5032 the audit store has not taken the journal's records (shipped through "
                    + shipper.shippedSeq() + " of " + journal.durableSeq() + ")");
        }
        if (journal.diskBytes() >= maxBytes) {
            throw new IllegalStateException("PHIG-5036 the audit journal holds " + journal.diskBytes() + " bytes, its limit"
                    + " (phigate.audit.journal.max-bytes); it takes records again as the store takes them");
        }
    }
}
