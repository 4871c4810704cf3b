// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A node's journal as the data plane sees it: the group commit of the node's chain and the patient pseudonyms. */
public final class NodeJournal implements Journal, AutoCloseable {

    private final GroupCommit writer;
    private final Pseudonyms pseudonyms;

    public NodeJournal(GroupCommit writer, Pseudonyms pseudonyms) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.pseudonyms = Objects.requireNonNull(pseudonyms, "pseudonyms");
    }

    @Override
    public CompletableFuture<Void> append(AuditEntry entry, boolean awaited) {
        return writer.append(entry, awaited);
    }

    @Override
    public Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    @Override
    public boolean storeUp() {
        return writer.storeUp();
    }

    @Override
    public void close() throws InterruptedException {
        writer.close();
    }
}
