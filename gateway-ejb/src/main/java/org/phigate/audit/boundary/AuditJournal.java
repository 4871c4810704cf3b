// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.AuditKeys;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.audit.control.Checkpoints;
import org.phigate.audit.control.GroupCommit;
import org.phigate.audit.control.Journal;
import org.phigate.audit.control.JournalStore;
import org.phigate.audit.control.LocalJournal;
import org.phigate.audit.control.Shipper;
import org.phigate.audit.control.NodeJournal;
import org.phigate.audit.control.Pseudonyms;
import org.phigate.persistence.AfterCommit;

/**
 * The node's audit journal: continues the node's chain where the local journal (or, for a new one, the database)
 * says it ended, writes it through one {@link GroupCommit} into the {@link LocalJournal}, and ships it to the database
 * with a {@link Shipper}. Records left unshipped by a crash are shipped at start, before the node serves. The data
 * plane keeps the plain {@link NodeJournal} this bean hands out and calls it without going through the container.
 * Settings (system properties): {@code phigate.audit.keystore} and its {@code .password} (see {@link AuditKeys}),
 * {@code phigate.audit.node} (default: the server's node name), {@code phigate.audit.journal.dir} (default:
 * {@code phigate/audit-journal} below the server's data dir), {@code phigate.audit.journal.max-bytes} (default 1 GiB),
 * {@code phigate.audit.journal.max-unshipped} (records the database may lag behind before requests wait; 20,000).
 */
@Singleton
@LocalBean
@Startup
@DependsOn("Routes")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditJournal {

    private static final Logger LOG = Logger.getLogger(AuditJournal.class.getName());
    static final int CAPACITY = 50_000;
    static final int MAX_BATCH = 2_000;
    static final int MAX_STATE = 1_000_000;
    static final int SHIP_BATCH = 5_000;
    static final long SEGMENT_BYTES = 16L << 20;
    static final long DEFAULT_MAX_BYTES = 1L << 30;
    static final long DEFAULT_MAX_UNSHIPPED = 20_000;

    @Resource(lookup = "java:jboss/datasources/PhigateDS")
    DataSource data;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    TransactionSynchronizationRegistry transactions;

    private NodeJournal journal;
    private LocalJournal local;
    private Shipper shipper;
    private AuditKeys keys;
    private String node;

    /** No transaction: the shipper commits its own batches on connections it takes, before the node serves. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void open() {
        node = configuredNode();
        keys = AuditKeys.load(Path.of(required("phigate.audit.keystore")), required("phigate.audit.keystore.password").toCharArray());
        Path dir = journalDir();
        try {
            local = LocalJournal.open(dir, SEGMENT_BYTES);
            long shipped = JdbcAuditStore.shippedThrough(data, node);
            AuditChain chain = continued(shipped);
            Checkpoints checkpoints = new Checkpoints(keys.checkpointSigning(), TimeUnit.SECONDS.toMicros(1), 10_000, shipped);
            shipper = new Shipper(local, JdbcAuditStore.open(data, checkpoints), shipped, SHIP_BATCH, Duration.ofSeconds(5),
                    Duration.ofMillis(10));
            if (local.durableSeq() > shipped) {
                LOG.info(() -> "PHIG-0402 shipping audit records " + (shipped + 1) + " to " + local.durableSeq()
                        + " from the journal to the database before the node serves");
                shipper.shipAll(seq -> LOG.fine(() -> "PHIG-0402 shipped through " + seq));
            }
            shipper.start(threads);
            JournalStore store = new JournalStore(local, shipper, Long.getLong("phigate.audit.journal.max-bytes", DEFAULT_MAX_BYTES),
                    Long.getLong("phigate.audit.journal.max-unshipped", DEFAULT_MAX_UNSHIPPED));
            journal = new NodeJournal(new GroupCommit(chain, store, CAPACITY, MAX_BATCH, threads),
                    new Pseudonyms(keys.pseudonym()));
            LOG.info(() -> "PHIG-0400 audit journal of node " + node + " in " + dir + " continues its chain after entry " + chain.lastSeq());
        } catch (Exception e) {
            throw new IllegalStateException("PHIG-0413 the audit chain of node " + node + " cannot be read or shipped (journal "
                    + dir + "): " + e.getMessage(), e);
        }
    }

    /**
     * Where the chain goes on: after the journal's tail when it holds records the database has not, else after the
     * database's last entry (a new journal, or one that was shipped and deleted).
     */
    private AuditChain continued(long shipped) throws Exception {
        java.util.Optional<LocalJournal.Tail> tail = local.tail().filter(t -> t.seq() > shipped);
        if (tail.isPresent()) {
            return new AuditChain(node, tail.get().seq(), tail.get().hash());
        }
        AuditChain chain = JdbcAuditStore.last(data, node).map(e -> new AuditChain(node, e.seq(), e.hash()))
                .orElseGet(() -> new AuditChain(node, 0, AuditChain.GENESIS));
        if (local.tail().map(t -> t.seq() != chain.lastSeq()).orElse(true)) {
            local.restartAfter(chain.lastSeq());
        }
        return chain;
    }

    private static Path journalDir() {
        String configured = System.getProperty("phigate.audit.journal.dir", "");
        return configured.isBlank() ? Path.of(System.getProperty("jboss.server.data.dir", "."), "phigate", "audit-journal")
                : Path.of(configured);
    }

    @PreDestroy
    void close() {
        try {
            journal.close();
            shipper.close();
            local.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            LOG.warning(() -> "PHIG-0417 the audit journal did not close cleanly: " + e.getMessage() + "; it is read back at start");
        }
    }

    /** How far the journal is durable and how far the database has it: the shipping lag, for health and metrics. */
    public JournalStatus journalStatus() {
        return new JournalStatus(local.durableSeq(), shipper.shippedSeq(), local.diskBytes());
    }

    /** Positions of the node's chain: durable in the journal, shipped to the database; and the journal's disk use. */
    public record JournalStatus(long durableThrough, long shippedThrough, long diskBytes) {
    }

    /** The journal as a plain object, for the data plane. */
    public Journal journal() {
        return journal;
    }

    public Pseudonyms pseudonyms() {
        return journal.pseudonyms();
    }

    public boolean storeUp() {
        return journal.storeUp();
    }

    /** @throws AuditUnavailable while an admin change could not be recorded: the boundaries call this before changing */
    public void requireStoreUp() {
        if (!journal.storeUp()) {
            throw new AuditUnavailable();
        }
    }

    /**
     * Records an admin change (who, from where, what, the item before and after) once the caller's transaction has
     * committed, and waits until the record is durable. A change whose record cannot be written stands; the log
     * says so (PHIG-5033). Called inside the changing boundary's transaction, after {@link #requireStoreUp()}.
     *
     * @param before the item before (JSON), or null where it did not exist
     * @param after the item after (JSON), or null where it no longer exists
     */
    public void recordOnCommit(ChangeOrigin origin, String item, String before, String after) {
        AfterCommit.run(transactions, () -> recordNow(origin, item, before, after));
    }

    /**
     * Records a change at once and waits until the record is durable (at most 10 s).
     *
     * @return false when it could not be recorded (the log says why, PHIG-5033): the caller must not go on as if it were
     */
    public boolean recordNow(ChangeOrigin origin, String item, String before, String after) {
        String id = UUID.randomUUID().toString().replace("-", "");
        AuditEntry change = AuditEntry.change(id, AuditClock.nowMicros()).caller(origin.who(), origin.clientId(), null)
                .connection(origin.sourceIp(), null, null).request(origin.method(), item, origin.endpoint())
                .states(bounded(before), bounded(after)).build();
        try {
            journal.append(change, true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.severe(() -> "PHIG-5033 interrupted while recording the change " + origin.method() + " " + origin.endpoint());
        } catch (ExecutionException | TimeoutException e) {
            LOG.severe(() -> "PHIG-5033 the change " + origin.method() + " " + origin.endpoint() + " by " + origin.who()
                    + " was not recorded: " + e.getMessage());
        }
        return false;
    }

    /** Keeps a state within the column; a larger one (the configuration is capped at 1 MiB) is replaced by its digest. */
    private static String bounded(String state) {
        if (state == null || state.length() <= MAX_STATE) {
            return state;
        }
        return "{\"truncated\":true,\"sha256\":\"" + org.phigate.identity.ServiceIdentitySpec.fingerprintOf(
                state.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}";
    }

    public String node() {
        return node;
    }

    private static String configuredNode() {
        String configured = System.getProperty("phigate.audit.node", "");
        return configured.isBlank() ? System.getProperty("jboss.node.name", "phigate") : configured;
    }

    public AuditKeys keys() {
        return keys;
    }

    private static String required(String property) {
        String value = System.getProperty(property, "");
        if (value.isBlank()) {
            throw new IllegalStateException("PHIG-0410 the system property " + property + " is not set; configure.sh sets it");
        }
        return value;
    }
}
