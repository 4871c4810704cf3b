// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditEntry;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/**
 * Business-associate-gated routing in the whole chain, with a clock the test sets: a vendor route forwards under an
 * agreement in force, is refused (403 PHIG-4039, audited with the vendor) from the instant the agreement expires
 * with nothing published, and forwards again once it is renewed. Each test runs its own gateway, clock and table.
 */
class BaaGateChainTest {

    private static final TestPki PKI = TestPki.trusted();
    private static final TestTokens TOKENS = new TestTokens();
    private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");
    private static FhirDemoServer backend;
    private static HttpClient client;

    private final TestJournal journal = new TestJournal();
    private final TestClock clock = new TestClock(EXPIRES.minus(Duration.ofDays(10)));
    private RouteTableFeed feed;
    private DataPlane plane;
    private Undertow gateway;
    private String base;

    @BeforeAll
    static void startBackend() throws Exception {
        backend = FhirDemoServer.start(0, PKI.backendKeystore(), PKI.password(), "vendor-backend");
        client = HttpClient.newBuilder().sslContext(PKI.clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void start() throws Exception {
        feed = new RouteTableFeed();
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("vendors.yaml", configuration("active", EXPIRES))));
        plane = new DataPlane(PKI.backendTls(), new BearerTokens(TestTokens.SETTINGS, TOKENS.keys(), java.time.Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), Optional.of(journal.journal), clock).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", PKI.serverTls()).setHandler(plane.handler()).build();
        gateway.start();
        base = "https://127.0.0.1:" + ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        gateway.stop();
        plane.stopFollowing(feed);
    }

    /** A lab vendor whose pool carries PHI under an agreement with the given status and expiry; a catalogue route that carries none. */
    private String configuration(String status, Instant expires) {
        return """
                vendors:
                  acme-labs:
                    legalName: Acme Reference Laboratories, Inc.
                    contact: privacy@acme-labs.example
                    status: %s
                    effective: 2026-01-01
                    expires: %s
                    phiScope: {routes: [labs, lab-catalogue], resourceTypes: [Observation, DiagnosticReport]}
                    agreement: {file: acme-baa-2026.pdf, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}
                pools:
                  acme: {backends: [https://127.0.0.1:%d], vendor: acme-labs}
                  own: {backends: [https://127.0.0.1:%d]}
                routes:
                  labs: {prefix: /labs/, pool: acme, backendPath: /r4/, policy: {roles: [clinician]}}
                  lab-catalogue: {prefix: /lab-catalogue/, pool: acme, backendPath: /r4/, phi: false, policy: {roles: [clinician]}}
                  referrals: {prefix: /referrals/, pool: acme, backendPath: /r4/, policy: {roles: [clinician]}}
                  own: {prefix: /own/, pool: own, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(status, expires, backend.port(), backend.port());
    }

    private void publish(String status, Instant expires) {
        feed.publish(ConfigurationCheck.merge(feed.current(), ConfigurationParser.parse("vendors.yaml", configuration(status, expires))));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKENS.clinician()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private AuditEntry access(HttpResponse<String> response) throws InterruptedException {
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        return journal.of(id, 1).stream().filter(e -> e.kind() == AuditEntry.Kind.ACCESS).findFirst().orElseThrow();
    }

    @Test
    void aVendorRouteForwardsUnderItsAgreementIsRefusedTheInstantItExpiresAndForwardsAgainWhenRenewed() throws Exception {
        clock.set(EXPIRES.minusMillis(1));
        HttpResponse<String> before = get("/labs/Observation?code=2345-7");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(access(before).decision()).isEqualTo(AuditEntry.Decision.FORWARD);
        assertThat(access(before).vendor()).isEqualTo("acme-labs");

        clock.set(EXPIRES);
        HttpResponse<String> lapsed = get("/labs/Observation?code=2345-7");
        assertThat(lapsed.statusCode()).isEqualTo(403);
        assertThat(lapsed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(lapsed.body()).contains("\"code\":\"PHIG-4039\"", "\"reason\":\"PHIG-4394\"");
        AuditEntry refused = access(lapsed);
        assertThat(refused.decision()).isEqualTo(AuditEntry.Decision.REFUSE);
        assertThat(refused.reason()).isEqualTo("PHIG-4394");
        assertThat(refused.vendor()).isEqualTo("acme-labs");
        assertThat(refused.route()).isEqualTo("labs");

        publish("active", EXPIRES.plus(Duration.ofDays(365)));
        HttpResponse<String> renewed = get("/labs/Observation?code=2345-7");
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(access(renewed).vendor()).isEqualTo("acme-labs");
    }

    @Test
    void aTerminatedOrDraftAgreementOrOneNotYetInEffectCoversNothing() throws Exception {
        publish("terminated", EXPIRES);
        assertThat(get("/labs/Observation").body()).contains("\"reason\":\"PHIG-4395\"");
        publish("draft", EXPIRES);
        assertThat(get("/labs/Observation").body()).contains("\"reason\":\"PHIG-4392\"");
        publish("active", EXPIRES);
        clock.set(Instant.parse("2025-12-31T23:59:59Z"));
        assertThat(get("/labs/Observation").body()).contains("\"reason\":\"PHIG-4393\"");
    }

    @Test
    void onlyTheRoutesAndResourceTypesOfTheScopeGoToTheVendor() throws Exception {
        assertThat(get("/labs/Observation?patient=Patient/p-1001").statusCode()).isEqualTo(200);
        assertThat(get("/labs/metadata").statusCode()).isEqualTo(200);

        HttpResponse<String> patient = get("/labs/Patient/p-1001");
        assertThat(patient.statusCode()).isEqualTo(403);
        assertThat(patient.body()).contains("\"reason\":\"PHIG-4396\"");
        assertThat(access(patient).vendor()).isEqualTo("acme-labs");
        assertThat(get("/labs/Patient/p-1001/Observation").body()).contains("PHIG-4396");
        assertThat(get("/labs/Observation?_include=Observation:subject").body()).as("an include whose target type is not named")
                .contains("PHIG-4396");
        assertThat(get("/labs/Observation?_include=Observation:subject:Patient").body()).contains("PHIG-4396");
        assertThat(get("/referrals/Observation").body()).as("a route the scope does not name").contains("PHIG-4396");
    }

    @Test
    void aRouteThatCarriesNoPhiAndTheHospitalsOwnRoutesNeedNoAgreement() throws Exception {
        clock.set(EXPIRES.plus(Duration.ofDays(1)));

        HttpResponse<String> catalogue = get("/lab-catalogue/metadata");
        assertThat(catalogue.statusCode()).isEqualTo(200);
        assertThat(access(catalogue).vendor()).as("still audited with its vendor").isEqualTo("acme-labs");
        HttpResponse<String> own = get("/own/Patient/p-1001");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(access(own).vendor()).isNull();
    }
}
