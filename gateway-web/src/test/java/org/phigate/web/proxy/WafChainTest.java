// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditEntry;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/**
 * The WAF in the whole chain, in front of a real HTTPS backend on loopback: attacks answered 403 with the rule and
 * a reference id (never the content), the rule in the audit record, detect and off modes, bodies inspected and then
 * forwarded byte for byte, bodies over the limit refused with 413 before any byte reaches the backend, and the
 * framing attacks of request smuggling, sent over a raw TLS socket, refused with 400.
 */
class WafChainTest {

    private static final TestPki PKI = TestPki.trusted();
    private static final TestTokens TOKENS = new TestTokens();
    private static final TestJournal journal = new TestJournal();
    private static FhirDemoServer backend;
    private static Undertow gateway;
    private static DataPlane plane;
    private static RouteTableFeed feed;
    private static HttpClient client;
    private static String base;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        backend = FhirDemoServer.start(0, PKI.backendKeystore(), PKI.password(), "waf-backend");
        String yaml = """
                pools:
                  fhir: {backends: [https://127.0.0.1:%d]}
                routes:
                  block: {prefix: /block/, pool: fhir, backendPath: /r4/, policy: {roles: [clinician]}, waf: {bodyLimit: 64KiB}}
                  detect: {prefix: /detect/, pool: fhir, backendPath: /r4/, policy: {roles: [clinician]}, waf: {mode: detect}}
                  off: {prefix: /off/, pool: fhir, backendPath: /r4/, policy: {roles: [clinician]}, waf: {mode: off}}
                  bulk: {prefix: /bulk/, pool: fhir, backendPath: /r4/, policy: {roles: [clinician]}, waf: {bodyLimit: 1KiB, oversizedBody: pass}}
                  lab:
                    prefix: /lab/
                    pool: fhir
                    backendPath: /r4/
                    policy: {roles: [clinician]}
                    waf: {exclusions: [{rule: PHIG-WAF-6002, target: "query:expr"}]}
                """.formatted(backend.port());
        feed = new RouteTableFeed();
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("waf.yaml", yaml)));
        plane = new DataPlane(PKI.backendTls(), new BearerTokens(TestTokens.SETTINGS, TOKENS.keys(), java.time.Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), Optional.of(journal.journal)).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", PKI.serverTls()).setHandler(plane.handler()).build();
        gateway.start();
        port = ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
        base = "https://127.0.0.1:" + port;
        client = HttpClient.newBuilder().sslContext(PKI.clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop();
        plane.stopFollowing(feed);
        backend.close();
    }

    private static HttpRequest.Builder request(String path) throws Exception {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKENS.clinician());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(request(path).header("Content-Type", contentType).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AuditEntry access(HttpResponse<String> response) throws InterruptedException {
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        return journal.of(id, 1).stream().filter(e -> e.decision() != null).findFirst().orElseThrow();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void anAttackIsRefusedWithTheRuleAndAReferenceIdButNotTheContentAndTheRuleIsAudited() throws Exception {
        HttpResponse<String> r = get("/block/_debug/echo?name=" + query("' OR '1'='1"));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"code\":\"PHIG-4038\"", "\"reason\":\"PHIG-WAF-2001\"",
                "\"requestId\":\"" + r.headers().firstValue("X-Request-Id").orElseThrow() + "\"").doesNotContain("OR", "1'");
        AuditEntry entry = access(r);
        assertThat(entry.decision()).isEqualTo(AuditEntry.Decision.REFUSE);
        assertThat(entry.reason()).isEqualTo("PHIG-WAF-2001");
        assertThat(entry.status()).isEqualTo(403);
    }

    @Test
    void detectModeForwardsAndAuditsTheRuleAndOffModeInspectsNothing() throws Exception {
        HttpResponse<String> detected = get("/detect/_debug/echo?name=" + query("<script>alert(1)</script>"));
        assertThat(detected.statusCode()).isEqualTo(200);
        assertThat(access(detected).decision()).isEqualTo(AuditEntry.Decision.FORWARD);
        assertThat(access(detected).reason()).isEqualTo("PHIG-WAF-3001");

        HttpResponse<String> off = get("/off/_debug/echo?name=" + query("<script>alert(1)</script>"));
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(access(off).reason()).isNull();
    }

    @Test
    void anExclusionLetsOneParameterThroughOneRuleOnly() throws Exception {
        assertThat(get("/lab/_debug/echo?expr=" + query("$(whoami)")).statusCode()).isEqualTo(200);
        assertThat(get("/lab/_debug/echo?other=" + query("$(whoami)")).statusCode()).isEqualTo(403);
        assertThat(get("/lab/_debug/echo?expr=" + query("<script>")).statusCode()).isEqualTo(403);
    }

    @Test
    void anInspectedBodyReachesTheBackendByteForByteWhetherSentWithALengthOrChunked() throws Exception {
        byte[] bundle = Files.readAllBytes(Path.of(WafChainTest.class.getResource("/waf/bundle-transaction.json").toURI()));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));

        HttpResponse<String> sized = post("/block/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofByteArray(bundle));
        HttpResponse<String> chunked = post("/block/_debug/echo", "application/fhir+json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bundle)));

        for (HttpResponse<String> r : List.of(sized, chunked)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"bodyLength\":" + bundle.length, "\"bodySha256\":\"" + sha + "\"");
        }
        assertThat(access(sized).bytesIn()).isEqualTo(bundle.length);
    }

    @Test
    void aLargeBundleIsInspectedOffTheIoThreadAndForwardedIntactAndAnAttackDeepInsideItIsRefused() throws Exception {
        String entry = new String(Files.readAllBytes(Path.of(WafChainTest.class.getResource("/waf/bundle-transaction.json").toURI())),
                StandardCharsets.UTF_8);
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        for (int i = 0; bundle.length() < 3 * BodyInspectionHandler.WORKER_THRESHOLD; i++) {
            bundle.append(i == 0 ? "" : ",").append("{\"resource\":").append(entry.strip()).append('}');
        }
        String benign = bundle + "]}";
        String attack = bundle + ",{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"$(cat /etc/passwd)\"}]}}]}";
        byte[] bytes = benign.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        HttpResponse<String> forwarded = post("/lab/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<String> refused = post("/lab/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofString(attack));

        assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(200);
        assertThat(forwarded.body()).contains("\"bodyLength\":" + bytes.length, "\"bodySha256\":\"" + sha + "\"");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"reason\":\"PHIG-WAF-600");
    }

    @Test
    void anAttackInsideAJsonBodyIsRefusedWithItsPath() throws Exception {
        HttpResponse<String> r = post("/block/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofString(
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"x' UNION SELECT ssn FROM patients--\"}]}"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("PHIG-WAF-2003");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeAnyByteIsForwardedUnlessTheRoutePassesIt() throws Exception {
        String big = "{\"resourceType\":\"Basic\",\"text\":\"" + "a".repeat(70_000) + "\"}";
        HttpResponse<String> sized = post("/block/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofString(big));
        HttpResponse<String> chunked = post("/block/_debug/echo", "application/fhir+json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        for (HttpResponse<String> r : List.of(sized, chunked)) {
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("\"code\":\"PHIG-4130\"", "\"reason\":\"PHIG-WAF-1014\"");
            assertThat(access(r).reason()).isEqualTo("PHIG-WAF-1014");
        }

        HttpResponse<String> passed = post("/bulk/_debug/echo", "application/fhir+json", HttpRequest.BodyPublishers.ofString(big));
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).contains("\"bodyLength\":" + big.length());
        assertThat(access(passed).reason()).as("forwarded uninspected, and the record says so").isEqualTo("PHIG-WAF-1014");
    }

    /**
     * Request smuggling over a raw TLS socket. Undertow's parser refuses some of these before the WAF sees them (a
     * plain 400), the WAF the rest (400 problem+json naming the rule); an invalid chunk size makes Undertow close the
     * connection. None of them is forwarded (the test's backend would answer 200), except an obsolete line fold,
     * which Undertow replaces with a space as RFC 9112 section 5.2 allows, so the backend never sees a fold.
     */
    @Test
    void smugglingFramingIsRefusedWith400AndNeverForwarded() throws Exception {
        String token = TOKENS.clinician();
        String head = "POST /block/_debug/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nContent-Type: text/plain\r\n";
        List<String> attacks = List.of(
                head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                head + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
                head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                head + "Content-Length: 3\r\nX-Folded: a\r\n b\r\n\r\nabc",
                head + "Content-Length: 3\r\nX-Bad: a\u0001b\r\n\r\nabc");
        for (String attack : attacks) {
            String answer = raw(attack);
            String shown = attack.substring(head.length(), attack.indexOf("\r\n\r\n")).replace("\r\n", " | ");
            java.util.regex.Matcher rule = java.util.regex.Pattern.compile("PHIG-WAF-\\d{4}").matcher(answer);
            System.out.printf("framing %-50s -> %s%n", shown, answer.isEmpty() ? "connection closed" : answer.lines().findFirst().orElseThrow()
                    + (rule.find() ? " " + rule.group() : answer.startsWith("HTTP/1.1 200") ? " (forwarded, the fold replaced by a space)" : " (Undertow's parser)"));
            if (attack.contains("X-Folded")) {
                assertThat(answer).as("RFC 9112 5.2: refused, or forwarded with the fold replaced by a space").satisfiesAnyOf(
                        a -> assertThat(a).startsWith("HTTP/1.1 400"), a -> assertThat(a).contains("\"x-folded\":[\"a b\"]"));
                continue;
            }
            assertThat(answer).as(shown).doesNotContain("\"bodyLength\"");
            if (attack.contains("zz\r\n")) {
                assertThat(answer).as(shown).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 400"));
            } else {
                assertThat(answer).as(shown).startsWith("HTTP/1.1 400");
            }
        }
    }

    private static String raw(String request) throws Exception {
        return EmbeddedGateway.raw(PKI.clientTls(), port, request);
    }
}
