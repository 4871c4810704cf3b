// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * What the audit store needs beyond COMMIT so that a committed group is durable when the writer says so: the record
 * of a forwarded request must survive a {@code kill -9} of the server on every store, and an OS crash or power loss
 * on the production store (164.312(b)). H2 runs in the server's JVM and acknowledges a COMMIT from memory (its
 * MVStore writes pages in the background, WRITE_DELAY); PostgreSQL flushes its WAL at COMMIT while
 * {@code synchronous_commit} and {@code fsync} are on.
 */
enum StoreDurability {

    /** PostgreSQL: COMMIT is durable as long as the server's settings keep it so; checked at start, nothing per commit. */
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
        void afterCommit(Connection c) {
        }
    },

    /**
     * H2: every commit is written to the file at once (WRITE_DELAY 0, a persistent setting, so a server configured
     * before it gets it too), and after each group the writer has H2 write whatever is still in memory and fsync the
     * file (CHECKPOINT SYNC), so the group survives a process kill and, as far as H2's file format recovers, an OS crash.
     */
    SYNC_AFTER_COMMIT {
        @Override
        void prepare(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
        }

        @Override
        void afterCommit(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    };

    private static final Logger LOG = Logger.getLogger(StoreDurability.class.getName());

    static StoreDurability of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("h2") ? SYNC_AFTER_COMMIT : COMMIT_IS_DURABLE;
    }

    /** Once, when the writer starts: sets or checks what the store needs. */
    abstract void prepare(Connection c) throws SQLException;

    /** After each group's COMMIT, before its entries are reported durable. */
    abstract void afterCommit(Connection c) throws SQLException;

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
            return r.next() ? r.getString(1).toLowerCase(Locale.ROOT) : "";
        }
    }
}
