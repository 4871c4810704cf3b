// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * What the audit store needs beyond COMMIT before the local journal may delete the records it shipped: the journal
 * is the durable copy of a record until the store holds it durably (164.312(b)). H2 runs in the server's JVM and
 * acknowledges a COMMIT from memory (its MVStore writes pages in the background, WRITE_DELAY); PostgreSQL flushes its
 * WAL at COMMIT while {@code synchronous_commit} and {@code fsync} are on.
 */
enum StoreDurability {

    /** PostgreSQL: COMMIT is durable as long as the server's settings keep it so; checked at start, nothing to sync. */
    COMMIT_IS_DURABLE {
        @Override
        void prepare(Connection c) throws SQLException {
            for (String setting : new String[] {"synchronous_commit", "fsync"}) {
                String value = show(c, setting);
                if (!value.equals("on") && !(setting.equals("synchronous_commit") && (value.equals("remote_write")
                        || value.equals("remote_apply") || value.equals("local")))) {
                    LOG.severe(() -> "PHIG-0414 PostgreSQL's " + setting + " is '" + value + "' for the audit writer: a committed audit"
                            + " record may be lost in a database crash; set it to on (datasource-postgresql.cli sets synchronous_commit"
                            + " on every connection, fsync is the database server's own setting)");
                }
            }
        }

        @Override
        void sync(Connection c) {
        }
    },

    /**
     * H2: commits are written to the file in the background (H2's own WRITE_DELAY of 500 ms, a persistent setting that
     * servers set up with WRITE_DELAY=0 get back), since the journal holds every record until shipped ones are synced:
     * before the journal deletes a segment, H2 writes whatever is still in memory and fsyncs the file (CHECKPOINT SYNC).
     */
    SYNC_BEFORE_RELEASE {
        @Override
        void prepare(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 500");
            }
        }

        @Override
        void sync(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    };

    private static final Logger LOG = Logger.getLogger(StoreDurability.class.getName());

    static StoreDurability of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("h2") ? SYNC_BEFORE_RELEASE : COMMIT_IS_DURABLE;
    }

    /** Once, when the writer starts: sets or checks what the store needs. */
    abstract void prepare(Connection c) throws SQLException;

    /** Before the journal deletes records the store has taken: makes every committed group durable. */
    abstract void sync(Connection c) throws SQLException;

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
            return r.next() ? r.getString(1).toLowerCase(Locale.ROOT) : "";
        }
    }
}
