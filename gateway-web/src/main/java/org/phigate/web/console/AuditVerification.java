// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.audit.boundary.ChainWalk;

/**
 * Verifies the whole audit trail (gateway-auditor): every node's hash chain from its first entry and every signed
 * checkpoint, in the background on the server's managed executor, while the page shows how far it got.
 */
@Named
@ViewScoped
public class AuditVerification implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AuditVerification.class.getName());

    @EJB
    transient AuditRecords records;

    @Resource
    transient ManagedExecutorService executor;

    @Inject
    Console console;

    private final AtomicLong checked = new AtomicLong();
    private volatile long total;
    private transient volatile CompletableFuture<String> running;
    private volatile String verdict = "";
    private volatile boolean intact;

    public void start() {
        if (!console.canReadAudit() || isRunning()) {
            return;
        }
        String who = console.getUsername();
        checked.set(0);
        verdict = "";
        try {
            total = Math.max(1, records.count());
        } catch (SQLException e) {
            total = 1;
        }
        running = CompletableFuture.supplyAsync(() -> verify(who), executor);
    }

    private String verify(String who) {
        try {
            ChainWalk.Verification result = records.verify(checked::set);
            checked.set(result.entries());
            intact = result.firstBad().isEmpty();
            String text = result.firstBad().map(b -> "PHIG-0420 The chain of node " + b.node() + " breaks at entry " + b.seq() + ": " + b.what())
                    .orElse(result.entries() + " entries and " + result.checkpoints() + " signed checkpoints verified: the trail is intact.");
            if (intact) {
                LOG.info(() -> "PHIG-0421 audit trail verified through the console by " + who + ": " + text);
            } else {
                LOG.severe(() -> text + " (verified through the console by " + who + ")");
            }
            verdict = text;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail could not be verified", e);
            intact = false;
            verdict = "PHIG-5036 The audit trail cannot be read now; see the server log.";
        }
        return verdict;
    }

    public boolean isRunning() {
        return running != null && !running.isDone();
    }

    public int getPercent() {
        return isRunning() ? (int) Math.min(99, checked.get() * 100 / total) : (verdict.isEmpty() ? 0 : 100);
    }

    public long getChecked() {
        return checked.get();
    }

    public String getVerdict() {
        return verdict;
    }

    public boolean isIntact() {
        return intact;
    }
}
