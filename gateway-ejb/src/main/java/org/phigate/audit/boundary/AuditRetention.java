// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.phigate.audit.control.ChangeOrigin;

/**
 * Applies the retention period to this node's audit chain once a day (03:17 server time): entries older than
 * {@code phigate.audit.retention} (an ISO-8601 period, default {@code P6Y}) are archived to
 * {@code phigate.audit.archive.dir} (default: {@code phigate/audit-archive} below the server's data directory) and
 * purged, as {@link AuditArchive} describes. Each node purges its own chain. Started with the application, so that
 * a wrong setting stops the deployment (PHIG-0451) instead of the first night's purge.
 */
@Singleton
@Startup
@DependsOn("AuditJournal")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class.getName());
    static final Period SIX_YEARS = Period.ofYears(6);

    @Resource(lookup = "java:jboss/datasources/PhigateDS")
    DataSource data;

    @EJB
    AuditJournal journal;

    private Period retention;
    private Path archive;

    @PostConstruct
    void settings() {
        retention = retention(System.getProperty("phigate.audit.retention", ""));
        String dir = System.getProperty("phigate.audit.archive.dir", "").trim();
        archive = dir.isEmpty() ? Path.of(System.getProperty("jboss.server.data.dir", "."), "phigate", "audit-archive") : Path.of(dir);
        if (retention.toTotalMonths() < SIX_YEARS.toTotalMonths()) {
            LOG.warning(() -> "PHIG-0452 the audit retention " + retention + " is shorter than the six years HIPAA asks documentation "
                    + "to be kept (45 CFR 164.316(b)(2)); archives are kept in " + archive);
        }
    }

    static Period retention(String text) {
        if (text.isBlank()) {
            return SIX_YEARS;
        }
        try {
            Period p = Period.parse(text.trim());
            if (p.isNegative() || p.isZero()) {
                throw new IllegalStateException("PHIG-0451 phigate.audit.retention must be a positive period such as P6Y, not " + text);
            }
            return p;
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("PHIG-0451 phigate.audit.retention is an ISO-8601 period such as P6Y or P7Y6M, not " + text, e);
        }
    }

    @Schedule(hour = "3", minute = "17", persistent = false, info = "audit retention")
    void daily() {
        try {
            purge();
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.severe(() -> "PHIG-0453 the audit retention purge failed and will be tried again tomorrow; nothing was deleted "
                    + "without its archive: " + e);
        }
    }

    /** Archives and purges what is past the retention period now; empty when nothing is. */
    public Optional<AuditArchive.Purge> purge() throws SQLException, IOException {
        ZonedDateTime cutoff = ZonedDateTime.now(ZoneOffset.UTC).minus(retention);
        long cutoffMicros = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, cutoff.toInstant());
        String node = journal.node();
        try (Connection c = data.getConnection()) {
            Optional<AuditArchive.Purge> done = AuditArchive.purge(c, node, cutoffMicros, archive, p -> journal.recordNow(
                    new ChangeOrigin(AuditArchive.ITEM, "", null, "PURGE", "archive:" + p.file().getFileName()), AuditArchive.ITEM, null, p.record()));
            done.ifPresentOrElse(p -> LOG.info(() -> "PHIG-0450 audit retention " + retention + ": node " + node + " archived entries "
                    + p.fromSeq() + " to " + p.throughSeq() + " (" + p.entries() + ") to " + p.file() + " (sha256 " + p.sha256() + ") and purged them"),
                    () -> LOG.fine(() -> "audit retention: nothing of node " + node + " is older than " + cutoff));
            return done;
        }
    }
}
