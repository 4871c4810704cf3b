// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The audit trail on the real server and database: every fate of a request leaves its record, found by the request
 * id the gateway returned and by the real patient id, with no patient id or search value in clear; the chains
 * verify, and on PostgreSQL a byte changed in the database is named by the verifier.
 */
class AuditIT extends AgainstTheGateway {

    private static FhirDemoServer backend;

    @BeforeAll
    static void routes() throws Exception {
        backend = backend("audit-it");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"audit-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-audit": {"prefix": "/it-audit/", "pool": "audit-pool", "backendPath": "/r4/", "policy": {"roles": ["clinician"]},
                                         "auditParameters": ["status"]},
                            "it-audit-admins": {"prefix": "/it-audit-admins/", "pool": "audit-pool", "backendPath": "/r4/", "policy": {"roles": ["gateway-admin"]}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
    }

    private static String records(String query) throws Exception {
        return gateway.get(Gateway.ADMIN + "/api/audit/records?" + query, ops()).body();
    }


    @Test
    void theRouteKeepsOnlyTheQueryParametersItAllowlists() throws Exception {
        String search = recordOf(gateway.get(Gateway.DATA + "/it-audit/Observation?status=final&code=2345-7&patient=p-1003", ehr()));

        assertThat(search).contains("\"path\":\"/it-audit/Observation?status=final\"", "\"interaction\":\"search\"")
                .doesNotContain("2345-7", "p-1003");
    }

    @Test
    void noPatientIdOrSearchValueOfARequestIsStoredOrLoggedInClear() throws Exception {
        String patient = "pat-" + java.util.UUID.randomUUID().toString().substring(0, 12);
        String value = "Zq" + java.util.UUID.randomUUID().toString().substring(0, 12);
        recordOf(gateway.get(Gateway.DATA + "/it-audit/Patient/" + patient + "?family=" + value, ehr()));
        recordOf(gateway.get(Gateway.DATA + "/it-audit/Observation?patient=" + patient + "&code=" + value));
        recordOf(gateway.get(Gateway.DATA + "/it-audit-admins/Patient/" + patient + "/Observation?code=" + value, ehr()));

        Path home = Path.of(System.getProperty("jboss.home"));
        assertThat(Files.readString(home.resolve("standalone/log/server.log"))).doesNotContain(patient, value);
        String jdbc = System.getProperty("phigate.it.jdbc", "");
        if (jdbc.isEmpty()) {
            Thread.sleep(2_000);
            String h2File = new String(Files.readAllBytes(home.resolve("standalone/data/phigate/registry.mv.db")), StandardCharsets.ISO_8859_1);
            assertThat(h2File).as("the H2 database file").doesNotContain(patient, value);
            return;
        }
        int columns = 0;
        try (Connection db = DriverManager.getConnection(jdbc); Statement s = db.createStatement();
             ResultSet text = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                     + " AND data_type IN ('text', 'character varying', 'character')")) {
            java.util.List<String[]> all = new java.util.ArrayList<>();
            while (text.next()) {
                all.add(new String[] {text.getString(1), text.getString(2)});
            }
            for (String[] column : all) {
                try (PreparedStatement find = db.prepareStatement("SELECT count(*) FROM \"" + column[0] + "\" WHERE \"" + column[1]
                        + "\" LIKE ? OR \"" + column[1] + "\" LIKE ?")) {
                    find.setString(1, "%" + patient + "%");
                    find.setString(2, "%" + value + "%");
                    try (ResultSet n = find.executeQuery()) {
                        n.next();
                        assertThat(n.getInt(1)).as("rows of %s.%s with the patient id or search value", column[0], column[1]).isZero();
                    }
                }
                columns++;
            }
        }
        assertThat(columns).as("text columns searched").isGreaterThan(20);
    }

    @Test
    void everyFateLeavesOneRecordWithItsReason() throws Exception {
        String proxied = recordOf(gateway.get(Gateway.DATA + "/it-audit/Patient/p-1003?_count=2&family=Fictional", ehr()));
        String noToken = recordOf(gateway.get(Gateway.DATA + "/it-audit/Patient"));
        String forbidden = recordOf(gateway.get(Gateway.DATA + "/it-audit-admins/Patient", ehr()));
        String noRoute = recordOf(gateway.get(Gateway.DATA + "/it-audit-nowhere/Patient", ehr()));

        assertThat(proxied).contains("\"decision\":\"FORWARD\"", "\"status\":200", "\"path\":\"/it-audit/Patient/*?_count=2\"",
                "\"resourceType\":\"Patient\"", "\"interaction\":\"read\"", "\"clientId\":\"phigate-ehr\"", "\"tlsProtocol\":\"TLSv1.3\"")
                .doesNotContain("p-1003", "Fictional");
        assertThat(noToken).contains("\"decision\":\"REFUSE\"", "\"reason\":\"PHIG-4011\"", "\"status\":401");
        assertThat(forbidden).contains("\"reason\":\"PHIG-4032\"", "\"status\":403");
        assertThat(noRoute).contains("\"reason\":\"PHIG-4040\"", "\"status\":404");
        for (String record : new String[] {proxied, noToken, forbidden, noRoute}) {
            assertThat(record.split("\"requestId\"", -1)).as("exactly one record: %s", record).hasSize(2);
        }
    }

    @Test
    void aPatientsDisclosuresAreFoundByTheRealIdThatIsStoredNowhere() throws Exception {
        String since = Instant.now().minusSeconds(1).toString();
        gateway.get(Gateway.DATA + "/it-audit/Patient/p-1004", ehr());
        gateway.send(HttpRequest.newBuilder(URI.create(Gateway.DATA + "/it-audit/Observation?patient=p-1004"))
                .header("Authorization", "Bearer " + ehr()).timeout(Duration.ofSeconds(15)).build());
        gateway.get(Gateway.DATA + "/it-audit/Patient/p-1001", ehr());

        String found = records("patient=" + URLEncoder.encode("p-1004", StandardCharsets.UTF_8) + "&route=it-audit&from=" + since);
        assertThat(found.split("\"requestId\"", -1)).hasSize(3);
        assertThat(found).contains("\"resourceType\":\"Observation\"", "\"interaction\":\"search\"").doesNotContain("p-1004");
    }

    @Test
    void theAccountingOfDisclosuresListsWhoSawThePatientThroughWhat() throws Exception {
        String since = Instant.now().minusSeconds(1).toString();
        gateway.get(Gateway.DATA + "/it-audit/Patient/p-1002", ehr());
        gateway.get(Gateway.DATA + "/it-audit-admins/Patient/p-1002", ehr());

        HttpResponse<String> accounting = gateway.get(Gateway.ADMIN + "/api/audit/disclosures?patient=p-1002&from=" + since, ops());
        assertThat(accounting.statusCode()).isEqualTo(200);
        assertThat(accounting.body()).contains("\"clientId\":\"phigate-ehr\"", "\"route\":\"it-audit\"", "\"interaction\":\"read\"")
                .as("a refused request disclosed nothing").doesNotContain("it-audit-admins").doesNotContain("p-1002");
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/disclosures?patient=p-1002&from=2010-01-01T00:00:00Z", ops()).statusCode())
                .as("at most six years").isEqualTo(400);
    }

    @Test
    void anExportStreamsTheRecordsAsJsonLinesAndCsvWithoutPhi() throws Exception {
        HttpResponse<String> call = gateway.get(Gateway.DATA + "/it-audit/Patient/p-1003?family=Fictional", ehr());
        String id = call.headers().firstValue("X-Request-Id").orElseThrow();
        recordOf(call);

        HttpResponse<String> jsonl = gateway.get(Gateway.ADMIN + "/api/audit/export?format=jsonl", ops());
        HttpResponse<String> csv = gateway.get(Gateway.ADMIN + "/api/audit/export?format=csv", ops());

        assertThat(jsonl.headers().firstValue("Content-Type")).get().asString().startsWith("application/x-ndjson");
        assertThat(jsonl.body().lines().filter(l -> l.contains(id))).singleElement().asString().startsWith("{").contains("\"status\":200");
        assertThat(csv.body()).startsWith("node,seq,time,requestId,").contains(id);
        assertThat(jsonl.body() + csv.body()).doesNotContain("p-1003", "Fictional");
    }

    @Test
    void adminChangesAreRecordedWithWhoBeforeAndAfter() throws Exception {
        String pool = "{\"backends\": [\"https://127.0.0.1:%d\"]}";
        gateway.put(Gateway.ADMIN + "/api/pools/audit-change-pool", "application/json", pool.formatted(backend.port()), ops());
        gateway.put(Gateway.ADMIN + "/api/pools/audit-change-pool", "application/json", pool.formatted(backend.port() + 1), ops());

        String changes = gateway.get(Gateway.ADMIN + "/api/audit/changes?limit=5", ops()).body();
        assertThat(changes).contains("\"item\":\"pools.audit-change-pool\"", "\"method\":\"PUT\"", "\"endpoint\":\"/api/pools/audit-change-pool\"",
                "service-account-phigate-ops", ":" + backend.port(), ":" + (backend.port() + 1));
        assertThat(gateway.delete(Gateway.ADMIN + "/api/pools/audit-change-pool", ops()).statusCode()).isEqualTo(204);
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/changes?limit=1", ops()).body()).contains("\"method\":\"DELETE\"");
    }

    @Test
    void theChainsVerify() throws Exception {
        gateway.get(Gateway.DATA + "/it-audit/Patient", ehr());

        HttpResponse<String> verdict = gateway.get(Gateway.ADMIN + "/api/audit/verify", ops());
        assertThat(verdict.statusCode()).isEqualTo(200);
        assertThat(verdict.body()).contains("\"ok\":true").doesNotContain("firstBad");
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/verify", ehr()).statusCode()).isEqualTo(403);
    }

    /** As an attacker with the database's owner account would: triggers off, one character changed, then put back. */
    @Test
    void aByteChangedInTheDatabaseIsNamedByTheVerifier() throws Exception {
        String jdbc = System.getProperty("phigate.it.jdbc", "");
        assumeTrue(!jdbc.isEmpty(), "needs direct access to the database: run on PostgreSQL only (H2 is locked by the server)");
        HttpResponse<String> victim = gateway.get(Gateway.DATA + "/it-audit/Patient", ehr());
        String id = victim.headers().firstValue("X-Request-Id").orElseThrow();
        recordOf(victim);
        Path certificate = checkpointCertificate();
        assertThat(verifyFromTheCommandLine(jdbc, certificate)).startsWith("0 ").contains("intact");
        try (Connection db = DriverManager.getConnection(jdbc); Statement replica = db.createStatement()) {
            assertThatThrownBy(() -> update(db, id, "/somewhere-else")).hasMessageContaining("PHIG-0430");
            replica.execute("SET session_replication_role = replica");
            String original = path(db, id);
            update(db, id, original.replace("Patient", "Patiens"));
            try {
                String verdict = gateway.get(Gateway.ADMIN + "/api/audit/verify", ops()).body();
                assertThat(verdict).contains("\"ok\":false", "\"requestId\":\"" + id + "\"", "changed after it was written");
                assertThat(verifyFromTheCommandLine(jdbc, certificate)).startsWith("1 ").contains("BROKEN", "request " + id, "changed");
            } finally {
                update(db, id, original);
            }
        }
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/verify", ops()).body()).contains("\"ok\":true");
    }

    /** The checkpoint certificate, from the server's audit keystore, as an auditor would export it. */
    private static Path checkpointCertificate() throws Exception {
        Path dir = Path.of(System.getProperty("jboss.home"), "standalone", "configuration", "phigate-audit");
        char[] password = Files.readString(dir.resolve("password")).trim().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("audit-keys.p12"))) {
            keys.load(in, password);
        }
        Path pem = Files.createTempFile("checkpoint", ".pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getCertificate("checkpoint").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return pem;
    }

    /** tools/verify-audit against the database: "EXIT_CODE output". */
    private static String verifyFromTheCommandLine(String jdbc, Path certificate) throws Exception {
        String driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process tool = new ProcessBuilder("bash", Path.of(System.getProperty("phigate.it.root"), "tools", "verify-audit").toString(),
                jdbc, certificate.toString(), "--driver", driver).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tool.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return tool.exitValue() + " " + output;
    }

    private static String path(Connection db, String requestId) throws Exception {
        try (PreparedStatement s = db.prepareStatement("SELECT path FROM audit_entry WHERE request_id = ? AND kind = 'A'")) {
            s.setString(1, requestId);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getString(1);
            }
        }
    }

    private static void update(Connection db, String requestId, String path) throws Exception {
        try (PreparedStatement s = db.prepareStatement("UPDATE audit_entry SET path = ? WHERE request_id = ? AND kind = 'A'")) {
            s.setString(1, path);
            s.setString(2, requestId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
