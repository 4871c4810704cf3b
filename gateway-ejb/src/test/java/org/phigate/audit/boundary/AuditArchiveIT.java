// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Persistence;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.Checkpoints;
import org.phigate.persistence.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Retention on PostgreSQL (through its append-only triggers) and H2: the old head of a chain goes to an archive
 * that verifies on its own, the chain that stays still verifies, and a head deleted without a recorded purge does not.
 */
class AuditArchiveIT {

    private static final long OLD = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(Duration.ofDays(10 * 365)));
    private static final long CUTOFF = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(Duration.ofDays(6 * 366)));
    private static PostgresServer postgres;
    private static KeyPair checkpointKeys;

    @TempDir
    Path archives;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        checkpointKeys = ec.generateKeyPair();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<String> databases() {
        return Stream.of("postgresql", "h2");
    }

    /** A fresh, migrated database of the kind named. */
    private static DataSource database(String kind) throws Exception {
        DataSource data;
        if (kind.equals("postgresql")) {
            String schema = "a" + UUID.randomUUID().toString().replace("-", "");
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(postgres.jdbcUrl());
            pg.setUser(postgres.user());
            try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            pg.setCurrentSchema(schema);
            data = pg;
        } else {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:archive-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            data = h2;
        }
        Persistence.createEntityManagerFactory("phigate-test", Map.of("jakarta.persistence.nonJtaDataSource", data)).close();
        return data;
    }

    /** Writes a chain of {@code old} entries ten years old and {@code recent} new ones, a signed checkpoint every 10. */
    private static final class Writer10 {
        final AuditChain chain = new AuditChain("gw1", 0, AuditChain.GENESIS);
        final JdbcAuditStore store;

        Writer10(DataSource data) throws java.sql.SQLException {
            store = JdbcAuditStore.open(data, new Checkpoints(checkpointKeys.getPrivate(), Long.MAX_VALUE, 10, 0));
        }

        void append(List<AuditEntry> batch) throws Exception {
            List<AuditChain.Linked> linked = chain.link(batch);
            store.ship(AuditChain.Linked.entries(linked));
            chain.committed(linked);
        }

        void requests(int count, long atMicros) throws Exception {
            for (int i = 0; i < count; i += 5) {
                List<AuditEntry> batch = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    batch.add(AuditEntry.access(UUID.randomUUID().toString().replace("-", ""), atMicros + i + j)
                            .request("GET", "ehr", "/fhir/Observation").decision(AuditEntry.Decision.FORWARD, null, false, "ehr").build());
                }
                append(batch);
            }
        }

        boolean recordPurge(AuditArchive.Purge purge) {
            try {
                append(List.of(AuditEntry.change(UUID.randomUUID().toString().replace("-", ""), OLD + 1_000_000_000L)
                        .request("PURGE", AuditArchive.ITEM, "archive:" + purge.file().getFileName()).states(null, purge.record()).build()));
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A database whose chain gw1 holds 40 ten-year-old entries and 20 new ones, with its writer. */
    private static Writer10 oldAndNew(DataSource data) throws Exception {
        Writer10 writer = new Writer10(data);
        writer.requests(40, OLD);
        writer.requests(20, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        return writer;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theOldHeadGoesToAVerifiableArchiveAndTheRestStillVerifies(String kind) throws Exception {
        DataSource data = database(kind);
        Writer10 writer = oldAndNew(data);

        Optional<AuditArchive.Purge> purge;
        try (Connection c = data.getConnection()) {
            purge = AuditArchive.purge(c, "gw1", CUTOFF, archives, writer::recordPurge);
        }

        assertThat(purge).hasValueSatisfying(p -> {
            assertThat(p.fromSeq()).isEqualTo(1);
            assertThat(p.throughSeq()).as("the last signed checkpoint among the old entries").isEqualTo(40);
            assertThat(p.entries()).isEqualTo(40);
            assertThat(p.file()).hasFileName("audit-gw1-1-40.jsonl.gz").exists();
        });
        AuditArchive.Verification archived = AuditArchive.verify(purge.get().file(), checkpointKeys.getPublic());
        assertThat(archived.problem()).isEmpty();
        assertThat(archived.entries()).isEqualTo(40);
        try (Connection c = data.getConnection()) {
            assertThat(count(c, "SELECT MIN(seq) FROM audit_entry")).isEqualTo(41);
            assertThat(count(c, "SELECT MIN(seq) FROM audit_checkpoint")).as("the checkpoint that bridges the gap stays").isEqualTo(40);
            ChainWalk.Verification remaining = ChainWalk.verify(c, checkpointKeys.getPublic());
            assertThat(remaining.firstBad()).isEmpty();
            assertThat(remaining.entries()).isEqualTo(21);

            assertThat(AuditArchive.purge(c, "gw1", CUTOFF, archives, writer::recordPurge)).as("nothing more is old enough").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aHeadDeletedWithoutARecordedPurgeOrAnArchiveChangedAfterwardsIsNamed(String kind) throws Exception {
        DataSource data = database(kind);
        Writer10 writer = oldAndNew(data);
        AuditArchive.Purge purge;
        try (Connection c = data.getConnection()) {
            purge = AuditArchive.purge(c, "gw1", CUTOFF, archives, writer::recordPurge).orElseThrow();
            c.setAutoCommit(false);
            if (kind.equals("postgresql")) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL phigate.audit_purge = 'on'");
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_entry WHERE seq <= 50")) {
                s.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);

            ChainWalk.Verification v = ChainWalk.verify(c, checkpointKeys.getPublic());
            assertThat(v.firstBad()).hasValueSatisfying(bad -> {
                assertThat(bad.seq()).isEqualTo(50);
                assertThat(bad.what()).contains("no retention purge in the chain names them");
            });
        }

        Path changed = archives.resolve("changed.jsonl.gz");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(purge.file())), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(changed)), StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine(), n++) {
                out.write((n == 3 ? line.replace("\"method\":\"GET\"", "\"method\":\"PUT\"") : line) + "\n");
            }
        }
        assertThat(AuditArchive.verify(changed, checkpointKeys.getPublic()).problem())
                .hasValueSatisfying(p -> assertThat(p).isEqualTo("entry 3: changed after it was written"));
    }
}
