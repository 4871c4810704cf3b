// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.concurrent.CompletableFuture;

/** What the data plane writes the audit trail through: never waits, answers when an entry is durable. */
public interface Journal {

    /** @param awaited whether a request waits for it (fail-closed) or not (written as soon as the store takes it) */
    CompletableFuture<Void> append(AuditEntry entry, boolean awaited);

    Pseudonyms pseudonyms();

    boolean storeUp();
}
