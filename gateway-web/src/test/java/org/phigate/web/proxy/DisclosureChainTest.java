// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditEntry;

/**
 * What a request discloses, read once and applied three ways in the whole chain, tried as an attacker with a valid
 * clinician token would: SMART scopes bound every type a search can return and, for {@code patient/} scopes, the
 * token's patient; a vendor's agreement covers every type an operation, wildcard or filter can return; and every way
 * FHIR names a patient reaches the audit record that the accounting of disclosures reads. Over HTTP/2.
 */
class DisclosureChainTest {

    private static RecordingBackend backend;
    private static EmbeddedGateway gateway;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.trusted();
        backend = new RecordingBackend(pki);
        gateway = new EmbeddedGateway(pki, new TestTokens(), """
                vendors:
                  demographics-co:
                    legalName: Demographics Co.
                    contact: privacy@demographics.example
                    status: active
                    effective: 2026-01-01
                    expires: 2099-01-01
                    phiScope: {resourceTypes: [Patient]}
                    agreement: {file: baa.pdf, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}
                pools:
                  own: {backends: [https://127.0.0.1:%1$d]}
                  vendor: {backends: [https://127.0.0.1:%1$d], vendor: demographics-co}
                routes:
                  smart: {prefix: /smart/, pool: own, backendPath: /r4/, policy: {roles: [clinician], smart: true}}
                  vendor: {prefix: /vendor/, pool: vendor, backendPath: /r4/, policy: {roles: [clinician]}}
                  fhir: {prefix: /fhir/, pool: own, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(backend.port()));
        client = gateway.client(HttpClient.Version.HTTP_2);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return client.send(gateway.request(path).setHeader("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> searchInBody(String path, String token, String form) throws Exception {
        return client.send(gateway.request(path).setHeader("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static AuditEntry access(HttpResponse<String> r) throws InterruptedException {
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        return gateway.journal.of(id, 1).stream().filter(e -> e.kind() == AuditEntry.Kind.ACCESS).findFirst().orElseThrow();
    }

    private static void refused(HttpResponse<String> r, String code, String reason) {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"" + code + "\"", "\"reason\":\"" + reason + "\"");
    }

    @Test
    void aPatientScopeReadsNoOtherTypeThroughIncludesFiltersOrASearchInTheBody() throws Exception {
        String token = gateway.tokens.smartLaunch("launch/patient patient/Patient.rs", "p-1001");
        int before = backend.requests();

        refused(get("/smart/Patient?_id=p-1001&_revinclude=Observation:subject", token), "PHIG-4030", "PHIG-4035");
        refused(get("/smart/Patient?_id=p-1001&_revinclude=*", token), "PHIG-4030", "PHIG-4035");
        refused(get("/smart/Patient?_id=p-1001&_has:Observation:patient:code=1234-5", token), "PHIG-4030", "PHIG-4301");
        refused(searchInBody("/smart/Patient/_search", token, "_id=p-1001&_revinclude=Observation:subject"), "PHIG-4030", "PHIG-4302");
        assertThat(backend.requests()).as("nothing reached the backend").isEqualTo(before);

        assertThat(get("/smart/Patient?_id=p-1001", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aPatientScopeReadsTheLaunchPatientsDataOnlyAndTheBackendIsToldTheGrant() throws Exception {
        String token = gateway.tokens.smartLaunch("launch/patient patient/Observation.read patient/Patient.read", "p-1001");

        refused(get("/smart/Observation", token), "PHIG-4030", "PHIG-4303");
        refused(get("/smart/Patient/p-1002/Observation", token), "PHIG-4030", "PHIG-4303");
        refused(get("/smart/Observation?patient=p-1001,p-1002", token), "PHIG-4030", "PHIG-4303");
        refused(get("/smart/Observation/o-7", token), "PHIG-4030", "PHIG-4303");
        refused(get("/smart/Observation?patient=p-1001", gateway.tokens.withScopes("patient/Observation.read")), "PHIG-4030", "PHIG-4304");

        HttpResponse<String> own = client.send(gateway.request("/smart/Observation?patient=p-1001").setHeader("Authorization", "Bearer " + token)
                .header("Prefer", "handling=lenient, return=minimal").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).as("a lenient backend would ignore a parameter the type lacks").contains("\"prefer\":\"return=minimal, handling=strict\"");
        assertThat(own.body()).contains("\"x-phigate-patient\":\"p-1001\"", "\"x-phigate-scopes\":\"launch/patient patient/Observation.read patient/Patient.read\"");
    }

    @Test
    void aVendorAgreementForOneTypeCoversNoOperationWildcardFilterOrSearchInTheBody() throws Exception {
        String token = gateway.tokens.clinician();
        int before = backend.requests();

        for (String path : new String[] {"/vendor/Patient/p-1001/$everything", "/vendor/Patient/$everything", "/vendor/Patient/p-1001/*",
                "/vendor/Patient?_has:Observation:patient:code=1234-5", "/vendor/Patient?_revinclude=*"}) {
            refused(get(path, token), "PHIG-4039", "PHIG-4396");
        }
        refused(searchInBody("/vendor/Patient/_search", token, "_revinclude=Observation:subject"), "PHIG-4039", "PHIG-4396");
        assertThat(backend.requests()).as("nothing reached the vendor").isEqualTo(before);

        assertThat(get("/vendor/Patient?name=Ada", token).statusCode()).isEqualTo(200);
    }

    @Test
    void everyWayOfNamingAPatientReachesTheAuditRecord() throws Exception {
        String token = gateway.tokens.clinician();
        String p1001 = gateway.journal.pseudonyms().patient("p-1001");
        String absolute = URLEncoder.encode("https://ehr.example/fhir/Patient/p-1001", StandardCharsets.UTF_8);

        for (String path : new String[] {"/fhir/Patient?_id=p-1001", "/fhir/Observation?subject=p-1001", "/fhir/Observation?subject=" + absolute,
                "/fhir/Observation?subject:Patient._id=p-1001", "/fhir/Observation?code=1234-5&patient=Patient/p-1001"}) {
            HttpResponse<String> r = get(path, token);

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(access(r).patient()).as(path).isEqualTo(p1001);
        }
        assertThat(access(get("/fhir/Patient?_id=p-1001,p-1002", token)).patient())
                .isEqualTo(p1001 + "," + gateway.journal.pseudonyms().patient("p-1002"));

        String many = String.join(",", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "d-" + i).toList());
        HttpResponse<String> tooMany = get("/fhir/Patient?_id=" + many + ",victim", token);
        assertThat(tooMany.statusCode()).as("a record holds 64 patients: the 66th would go unaccounted").isEqualTo(400);
        assertThat(tooMany.body()).contains("\"code\":\"PHIG-4005\"");
    }
}
