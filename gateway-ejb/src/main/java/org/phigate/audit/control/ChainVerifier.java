// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.Objects;
import java.util.Optional;

/**
 * Walks one node's chain in sequence order and names the first entry that is not as it was written: changed
 * (its hash no longer matches its content), removed (a position is missing) or inserted (it does not follow the
 * entry before it). Feed it the entries one by one, so that a chain of any length is verified in constant memory.
 */
public final class ChainVerifier {

    /** Where the chain breaks, and how. {@code requestId} is that of the entry found at that position, if any. */
    public record Break(String node, long seq, String requestId, String what) {
    }

    private final String node;
    private long expected;
    private String previous;
    private long verified;

    /** Verifies from the start of the chain. */
    public ChainVerifier(String node) {
        this(node, 1, AuditChain.GENESIS);
    }

    /** Verifies from {@code firstSeq}, whose predecessor's hash a signed checkpoint vouches for (an archived gap). */
    public ChainVerifier(String node, long firstSeq, String previousHash) {
        this.node = Objects.requireNonNull(node, "node");
        this.expected = firstSeq;
        this.previous = Objects.requireNonNull(previousHash, "previousHash");
    }

    public Optional<Break> accept(AuditEntry stored) {
        if (stored.seq() > expected) {
            return Optional.of(new Break(node, expected, null, "removed: positions " + expected + " to " + (stored.seq() - 1) + " are missing"));
        }
        if (stored.seq() < expected) {
            return Optional.of(new Break(node, stored.seq(), stored.requestId(), "out of order"));
        }
        if (!previous.equals(stored.prevHash())) {
            return Optional.of(new Break(node, stored.seq(), stored.requestId(), "inserted: it does not follow the entry before it"));
        }
        if (!AuditChain.hash(previous, stored).equals(stored.hash())) {
            return Optional.of(new Break(node, stored.seq(), stored.requestId(), "changed after it was written"));
        }
        previous = stored.hash();
        expected++;
        verified++;
        return Optional.empty();
    }

    public long verified() {
        return verified;
    }

    public String lastHash() {
        return previous;
    }

    public long lastSeq() {
        return expected - 1;
    }
}
