// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditEntry;
import org.phigate.demo.FhirDemoServer;

/**
 * Ways past the checks that a penetration test found, tried again as the attacker did, with a valid clinician token,
 * over the protocol of each finding: bodies streamed over HTTP/2 without a content-length, a {@code Connection}
 * header that names the framing or other end-to-end headers (raw HTTP/1.1 over TLS), header names with underscores,
 * request trailers, and {@code X-PHIGate-*} headers in a backend's answer.
 */
class BypassChainTest {

    private static final String INJECTION = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"x' OR 1=1 --\"}]}";
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Okafor\",\"given\":[\"Ada\"]}]}";
    private static RecordingBackend backend;
    private static final List<RecordingBackend> fragile = new java.util.ArrayList<>();
    private static final List<FhirDemoServer> demo = new java.util.ArrayList<>();
    private static EmbeddedGateway gateway;
    private static HttpClient h2;
    private static HttpClient h1;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.trusted();
        backend = new RecordingBackend(pki);
        for (int i = 0; i < 4; i++) {
            fragile.add(new RecordingBackend(pki));
        }
        for (int i = 0; i < 2; i++) {
            demo.add(FhirDemoServer.start(0, pki.backendKeystore(), pki.password(), "demo-" + i));
        }
        gateway = new EmbeddedGateway(pki, new TestTokens(), """
                pools:
                  recording: {backends: [https://127.0.0.1:%d]}
                  fragile:
                    backends: [https://127.0.0.1:%d, https://127.0.0.1:%d, https://127.0.0.1:%d, https://127.0.0.1:%d]
                    ejection: {consecutiveFailures: 2, baseTime: 60s, maxTime: 60s}
                  demo:
                    backends: [https://127.0.0.1:%d, https://127.0.0.1:%d]
                    ejection: {consecutiveFailures: 2, baseTime: 60s, maxTime: 60s}
                routes:
                  fhir: {prefix: /fhir/, pool: recording, backendPath: /r4/, policy: {roles: [clinician]}, waf: {bodyLimit: 16KiB}}
                  fragile: {prefix: /fragile/, pool: fragile, backendPath: /r4/, policy: {roles: [clinician]}}
                  demo: {prefix: /demo/, pool: demo, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(backend.port(), fragile.get(0).port(), fragile.get(1).port(), fragile.get(2).port(), fragile.get(3).port(),
                demo.get(0).port(), demo.get(1).port()));
        h2 = gateway.client(HttpClient.Version.HTTP_2);
        h1 = gateway.client(HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        fragile.forEach(RecordingBackend::close);
        demo.forEach(FhirDemoServer::close);
    }

    private static long ejected(String pool) {
        return gateway.pools().stream().filter(p -> p.name().equals(pool)).flatMap(p -> p.backends().stream())
                .filter(b -> b.state().equals("ejected")).count();
    }

    /** A body the client streams: over HTTP/2 it goes as DATA frames with no content-length. */
    private static HttpRequest.BodyPublisher streamed(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private static HttpResponse<String> post(HttpClient client, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(gateway.request("/fhir/Patient").header("Content-Type", "application/fhir+json").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static AuditEntry access(String requestId) throws InterruptedException {
        return gateway.journal.of(requestId, 1).stream().filter(e -> e.kind() == AuditEntry.Kind.ACCESS).findFirst().orElseThrow();
    }

    private static String requestId(String rawAnswer) {
        return rawAnswer.lines().filter(l -> l.regionMatches(true, 0, "X-Request-Id:", 0, 13)).findFirst().orElseThrow().substring(13).trim();
    }

    @Test
    void anHttp2BodyWithoutContentLengthIsInspectedAsOverHttp1() throws Exception {
        int before = backend.requests();
        HttpResponse<String> overHttp1 = post(h1, HttpRequest.BodyPublishers.ofString(INJECTION));
        HttpResponse<String> streamed = post(h2, streamed(INJECTION.getBytes(StandardCharsets.UTF_8)));

        assertThat(streamed.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(streamed.request().headers().firstValue("Content-Length")).isEmpty();
        assertThat(overHttp1.statusCode()).isEqualTo(403);
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(403);
        assertThat(streamed.body()).contains("\"code\":\"PHIG-4038\"");
        assertThat(access(streamed.headers().firstValue("X-Request-Id").orElseThrow()).decision()).isEqualTo(AuditEntry.Decision.REFUSE);
        assertThat(backend.requests()).as("nothing reached the backend").isEqualTo(before);
    }

    @Test
    void anHttp2BodyWithoutContentLengthIsForwardedIntactWhenCleanAndRefusedOverTheLimit() throws Exception {
        HttpResponse<String> clean = post(h2, streamed(PATIENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(clean.statusCode()).as(clean.body()).isEqualTo(200);
        assertThat(clean.body()).contains("\"bodyLength\":" + PATIENT.length());

        int before = backend.requests();
        byte[] large = ("{\"resourceType\":\"Binary\",\"data\":\"" + "A".repeat(40 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> over = post(h2, streamed(large));
        assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
        assertThat(over.body()).contains("\"code\":\"PHIG-4130\"");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void aConnectionHeaderNamingAnEndToEndHeaderIsRefusedWith400AndAudited() throws Exception {
        String token = gateway.tokens.clinician();
        int before = backend.requests();
        for (String named : List.of("Content-Length", "Transfer-Encoding", "content-type", "Host", "Authorization", "X-Request-Id",
                "X-PHIGate-Roles", "close, Content-Length")) {
            String body = named.contains("Transfer") ? "3F\r\n" + INJECTION + "\r\n0\r\n\r\n" : INJECTION;
            String framing = named.contains("Transfer") ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + INJECTION.length() + "\r\n";
            String answer = gateway.raw("POST /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/fhir+json\r\n" + framing + "Connection: " + named + "\r\n\r\n" + body);

            assertThat(answer).as(named).startsWith("HTTP/1.1 400").contains("\"code\":\"PHIG-4003\"");
            AuditEntry entry = access(requestId(answer));
            assertThat(entry.decision()).isEqualTo(AuditEntry.Decision.REFUSE);
            assertThat(entry.reason()).isEqualTo("PHIG-4003");
        }
        assertThat(backend.requests()).as("nothing reached the backend").isEqualTo(before);
    }

    @Test
    void aConnectionHeaderNamingAnOrdinaryHeaderDropsItAndTheRequestGoesOn() throws Exception {
        String answer = gateway.raw("GET /fhir/_debug/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gateway.tokens.clinician()
                + "\r\nX-Custom: 1\r\nX-Kept: 2\r\nConnection: X-Custom\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"x-kept\":\"2\"").doesNotContain("x-custom");
    }

    @Test
    void headerNamesWithAnUnderscoreNeverReachTheBackendOverEitherProtocol() throws Exception {
        for (HttpClient client : List.of(h1, h2)) {
            HttpResponse<String> r = client.send(gateway.request("/fhir/_debug/echo").header("x_phigate_subject", "attacker")
                    .header("x-phigate_roles", "gateway-admin").header("X_Custom", "1").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            String received = r.body().substring(r.body().indexOf("\"headers\""), r.body().indexOf("\"trailers\""));
            assertThat(received).as(r.version().toString()).doesNotContain("_", "attacker").contains("\"x-phigate-roles\":\"clinician")
                    .contains("\"x-phigate-subject\":\"");
        }
    }

    @Test
    void requestTrailersAreNotForwarded() throws Exception {
        String answer = gateway.raw("POST /fhir/_debug/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gateway.tokens.clinician()
                + "\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\nTrailer: X-PHIGate-Roles\r\n\r\n"
                + Integer.toHexString(PATIENT.length()) + "\r\n" + PATIENT + "\r\n0\r\nX-PHIGate-Roles: gateway-admin\r\nX-Trailing: 1\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"trailers\":{}", "\"bodyLength\":" + PATIENT.length())
                .doesNotContain("x-trailing", "gateway-admin");
    }

    @Test
    void gatewayHeadersInABackendsAnswerAreRemoved() throws Exception {
        for (HttpClient client : List.of(h1, h2)) {
            HttpResponse<String> r = client.send(gateway.request("/fhir/_debug/echo").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue(RecordingBackend.GATEWAY_LOOKALIKE.toString())).as(r.version().toString()).isEmpty();
        }
    }

    /** A chunked request with a trailer made the sample backend answer 5xx; ten of them ejected its whole pool. */
    @Test
    void requestsWithTrailersDoNotEjectBackends() throws Exception {
        String token = gateway.tokens.clinician();
        for (int i = 0; i < 12; i++) {
            gateway.raw("POST /demo/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(PATIENT.length()) + "\r\n" + PATIENT + "\r\n0\r\nX-Trailing: 1\r\n\r\n");
        }

        assertThat(ejected("demo")).isZero();
        assertThat(h2.send(gateway.request("/demo/metadata").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    /** Whatever a signed-in caller sends, passive ejection takes at most half a pool's backends out. */
    @Test
    void noClientCanEjectMoreThanHalfAPool() throws Exception {
        for (int i = 0; i < 40; i++) {
            h1.send(gateway.request("/fragile/_debug/fail").build(), HttpResponse.BodyHandlers.ofString());
        }

        assertThat(ejected("fragile")).isEqualTo(2);
        HttpResponse<String> after = h1.send(gateway.request("/fragile/_debug/echo").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }

    /** A chunk size too large for any number: the connection ends, and the trail holds one outcome for the request. */
    @Test
    void aChunkSizeThatOverflowsEndsAsOneRequestWithOneOutcome() throws Exception {
        int before = gateway.journal.stored.size();
        String answer = gateway.raw("POST /fhir/_debug/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gateway.tokens.clinician()
                + "\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
        Thread.sleep(1_000);

        List<AuditEntry> added = List.copyOf(gateway.journal.stored.subList(before, gateway.journal.stored.size()));
        System.out.println("chunk size overflow -> " + (answer.isEmpty() ? "connection closed" : answer.lines().findFirst().orElseThrow())
                + "; entries " + added.stream().map(e -> e.kind() + " " + e.decision() + " " + e.status() + " " + e.reason() + " aborted=" + e.aborted()).toList());
        assertThat(added).isNotEmpty();
        assertThat(added.stream().map(AuditEntry::requestId).distinct()).hasSize(1);
        assertThat(added).as("one access entry, no second outcome").hasSize(1);
        assertThat(answer).doesNotContain("bodyLength");
    }
}
