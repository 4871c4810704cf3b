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
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.AuditKeys;
import org.phigate.audit.control.Checkpoints;
import org.phigate.audit.control.GroupCommit;
import org.phigate.audit.control.Journal;
import org.phigate.audit.control.Pseudonyms;

/**
 * The node's audit journal: continues the node's chain where the database says it ended, and writes it through
 * one {@link GroupCommit}. The data plane keeps the plain {@link Journal} this bean hands out and calls it without
 * going through the container. Settings (system properties): {@code phigate.audit.keystore} and its
 * {@code .password} (see {@link AuditKeys}), {@code phigate.audit.node} (default: the server's node name).
 */
@Singleton
@LocalBean
@Startup
@DependsOn("Routes")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditJournal implements Journal {

    private static final Logger LOG = Logger.getLogger(AuditJournal.class.getName());
    static final int CAPACITY = 50_000;
    static final int MAX_BATCH = 2_000;

    @Resource(lookup = "java:jboss/datasources/PhigateDS")
    DataSource data;

    @Resource
    ManagedThreadFactory threads;

    private GroupCommit writer;
    private Pseudonyms pseudonyms;
    private AuditKeys keys;
    private String node;

    @PostConstruct
    void open() {
        node = node();
        keys = AuditKeys.load(Path.of(required("phigate.audit.keystore")), required("phigate.audit.keystore.password").toCharArray());
        pseudonyms = new Pseudonyms(keys.pseudonym());
        try {
            AuditChain chain = JdbcAuditStore.last(data, node).map(e -> new AuditChain(node, e.seq(), e.hash()))
                    .orElseGet(() -> new AuditChain(node, 0, AuditChain.GENESIS));
            Checkpoints checkpoints = new Checkpoints(keys.checkpointSigning(), TimeUnit.SECONDS.toMicros(1), 10_000, chain.lastSeq());
            writer = new GroupCommit(chain, new JdbcAuditStore(data, checkpoints), CAPACITY, MAX_BATCH, threads);
            LOG.info(() -> "PHIG-0400 audit journal of node " + node + " continues its chain after entry " + chain.lastSeq());
        } catch (SQLException e) {
            throw new IllegalStateException("PHIG-0413 the audit chain of node " + node + " cannot be read", e);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        writer.close();
    }

    /** The journal as a plain object, for the data plane. */
    public Journal journal() {
        return this;
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

    public String node() {
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
