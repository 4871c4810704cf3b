// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/** The whole data-plane chain on an embedded Undertow (port 0) in front of real HTTPS backends. */
class DataPlaneChainTest {

    private static FhirDemoServer first;
    private static FhirDemoServer second;
    private static FhirDemoServer untrusted;
    private static FhirDemoServer wrongName;
    private static ServerSocket blackHole;
    private static final java.util.List<java.net.Socket> queueFillers = new java.util.ArrayList<>();
    private static Undertow gateway;
    private static final TestTokens tokens = new TestTokens();
    private static final TestJournal journal = new TestJournal();
    private static final java.util.List<org.phigate.breakglass.control.BreakGlassActivation> recorded =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile boolean ledgerDown;

    /** The chain's ledger: the EJB's own behaviour (durable or throw) is tested against the database in the ITs. */
    private static void record(org.phigate.breakglass.control.BreakGlassActivation activation) {
        if (ledgerDown) {
            throw new IllegalStateException("database unavailable");
        }
        recorded.add(activation);
    }
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.trusted();
        TestPki other = TestPki.untrusted();
        first = FhirDemoServer.start(0, pki.backendKeystore(), pki.password(), "first");
        second = FhirDemoServer.start(0, pki.backendKeystore(), pki.password(), "second");
        untrusted = FhirDemoServer.start(0, other.backendKeystore(), other.password(), "untrusted");
        wrongName = FhirDemoServer.start("127.0.0.2", 0, pki.backendKeystore(), pki.password(), "wrong-name");
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        blackHole = blackHole();
        String yaml = """
                pools:
                  demo: {backends: [https://127.0.0.1:%d, https://127.0.0.1:%d]}
                  dead: {backends: [https://127.0.0.1:%d]}
                  untrusted: {backends: [https://127.0.0.1:%d]}
                  wrong-name: {backends: [https://127.0.0.2:%d]}
                  black-hole: {backends: [https://127.0.0.1:%d]}
                routes:
                  fhir: {prefix: /fhir/, pool: demo, backendPath: /r4/, policy: {roles: [clinician]}}
                  read-only: {prefix: /ro/, pool: demo, backendPath: /r4/, methods: [GET, HEAD], policy: {roles: [clinician]}}
                  slow: {prefix: /slow/, pool: demo, backendPath: /r4/_debug/, requestTimeout: 300ms, policy: {roles: [clinician]}}
                  dead: {prefix: /dead/, pool: dead, connectTimeout: 500ms, policy: {roles: [clinician]}}
                  untrusted: {prefix: /untrusted/, pool: untrusted, backendPath: /r4/, policy: {roles: [clinician]}}
                  wrong-name: {prefix: /wrong-name/, pool: wrong-name, backendPath: /r4/, policy: {roles: [clinician]}}
                  black-hole: {prefix: /black-hole/, pool: black-hole, connectTimeout: 400ms, requestTimeout: 20s, policy: {roles: [clinician]}}
                  admins-only: {prefix: /admins/, pool: demo, backendPath: /r4/, policy: {roles: [gateway-admin]}}
                  no-policy: {prefix: /no-policy/, pool: demo, backendPath: /r4/}
                  smart: {prefix: /smart/, pool: demo, backendPath: /r4/, policy: {roles: [clinician], smart: true}}
                  oncology: {prefix: /oncology/, pool: demo, backendPath: /r4/, policy: {roles: [oncologist], breakGlass: true}}
                """.formatted(first.port(), second.port(), dead, untrusted.port(), wrongName.port(), blackHole.getLocalPort());
        RouteTable table = ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("chain.yaml", yaml));
        RouteTableFeed feed = new RouteTableFeed();
        feed.publish(table);
        DataPlane plane = new DataPlane(pki.backendTls(), new BearerTokens(TestTokens.SETTINGS, tokens.keys(), java.time.Clock.systemUTC()),
                DataPlaneChainTest::record,
                Duration.ofMinutes(60), java.util.Optional.of(journal.journal)).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", pki.serverTls()).setHandler(plane.handler()).build();
        gateway.start();
        base = "https://127.0.0.1:" + ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
        client = HttpClient.newBuilder().sslContext(pki.clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * A listener that never accepts, its accept queue filled: the kernel drops further SYNs, so a connect to it
     * hangs until the client gives up, as a connect to a host that is down or firewalled does.
     */
    private static ServerSocket blackHole() throws Exception {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        for (int i = 0; i < 2; i++) {
            java.net.Socket filler = new java.net.Socket();
            try {
                filler.connect(socket.getLocalSocketAddress(), 300);
                queueFillers.add(filler);
            } catch (java.io.IOException e) {
                filler.close();
            }
        }
        return socket;
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop();
        for (java.net.Socket filler : queueFillers) {
            filler.close();
        }
        blackHole.close();
        for (FhirDemoServer s : new FhirDemoServer[] {first, second, untrusted, wrongName}) {
            s.close();
        }
    }

    /** A request with a clinician's valid token, and the headers given. */
    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = "Bearer " + tokens.clinician();
        return anonymous(path, all);
    }

    private static HttpResponse<String> anonymous(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void proxiesToTheRoutesBackendPathAcrossThePool() throws Exception {
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("/fhir/Patient");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"resourceType\":\"Bundle\"", "p-1001");
            instances.add(response.headers().firstValue("X-Backend-Instance").orElseThrow());
        }
        assertThat(instances).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void theGatewaySetsItsOwnRequestIdAndForwardingHeaders() throws Exception {
        HttpResponse<String> response = get("/fhir/_debug/echo?_count=1", "X-Request-Id", "client-123",
                "X-Forwarded-For", "10.6.6.6", "X-Forwarded-Host", "evil.example", "Forwarded", "for=10.6.6.6",
                "Connection", "X-Secret", "X-Secret", "should-not-pass", "Keep-Alive", "timeout=5");

        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        String echo = response.body();
        assertThat(echo).contains("\"path\":\"/r4/_debug/echo\"", "\"query\":\"_count=1\"");
        assertThat(echo).contains("\"x-request-id\":[\"" + id + "\"]", "\"x-client-request-id\":[\"client-123\"]");
        assertThat(echo).contains("\"x-forwarded-for\":[\"127.0.0.1\"]", "\"x-forwarded-proto\":[\"https\"]");
        assertThat(echo).doesNotContain("10.6.6.6", "evil.example", "x-secret", "keep-alive", "\"forwarded\"");
    }

    @Test
    void noTokenIs401WithAChallenge() throws Exception {
        HttpResponse<String> response = anonymous("/fhir/Patient");

        assertProblem(response, 401, "PHIG-4011");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"phigate\"");
    }

    @Test
    void anInvalidTokenIs401SayingNoMoreThanInvalid() throws Exception {
        HttpResponse<String> response = anonymous("/fhir/Patient", "Authorization", "Bearer " + tokens.expired());

        assertProblem(response, 401, "PHIG-4012");
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_token");
        assertThat(response.body()).doesNotContain("expired", "PHIG-4124");
    }

    @Test
    void aCallerWithoutTheRoutesRoleOrOnARouteWithoutPolicyIs403WithTheReason() throws Exception {
        HttpResponse<String> wrongRole = get("/admins/Patient");
        HttpResponse<String> noPolicy = get("/no-policy/Patient");

        assertProblem(wrongRole, 403, "PHIG-4030");
        assertThat(wrongRole.body()).contains("\"reason\":\"PHIG-4032\"");
        assertProblem(noPolicy, 403, "PHIG-4030");
        assertThat(noPolicy.body()).contains("\"reason\":\"PHIG-4031\"");
    }

    @Test
    void aSmartRouteLetsObservationReadReadObservationsAndNothingElse() throws Exception {
        String token = "Bearer " + tokens.withScopes("openid user/Observation.read");

        assertThat(anonymous("/smart/Observation", "Authorization", token).statusCode()).isEqualTo(200);
        HttpResponse<String> write = client.send(HttpRequest.newBuilder(URI.create(base + "/smart/Observation"))
                .header("Authorization", token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(write, 403, "PHIG-4030");
        assertThat(write.body()).contains("\"reason\":\"PHIG-4035\"");
        HttpResponse<String> condition = anonymous("/smart/Condition", "Authorization", token);
        assertProblem(condition, 403, "PHIG-4030");
        assertThat(condition.body()).contains("\"reason\":\"PHIG-4035\"");
    }

    @Test
    void breakingTheGlassIsRecordedOncePerWindowAndTheBackendIsTold() throws Exception {
        String er = "Bearer " + tokens.withRoles("er-7", "clinician", "break-glass");
        String why = "Unconscious patient in ED, history needed";
        int before = recorded.size();

        HttpResponse<String> first = anonymous("/oncology/_debug/echo", "Authorization", er, "PHIGate-Break-Glass", why);
        HttpResponse<String> again = anonymous("/oncology/Patient", "Authorization", er, "PHIGate-Break-Glass", why);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"x-phigate-break-glass\":[\"true\"]").doesNotContain(why);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(recorded.size() - before).as("one event for the window").isEqualTo(1);
        assertThat(recorded.get(recorded.size() - 1)).satisfies(a -> {
            assertThat(a.subject()).isEqualTo("er-7");
            assertThat(a.route()).isEqualTo("oncology");
            assertThat(a.justification()).isEqualTo(why);
        });
        assertProblem(anonymous("/oncology/Patient", "Authorization", er), 403, "PHIG-4030");
    }

    @Test
    void withoutTheRoleTheBreakGlassHeaderChangesNothing() throws Exception {
        HttpResponse<String> response = get("/oncology/Patient", "PHIGate-Break-Glass", "I really want to see this record now");

        assertProblem(response, 403, "PHIG-4030");
        assertThat(response.body()).contains("PHIG-4032");
    }

    @Test
    void breakGlassThatCannotBeRecordedIsNotGranted() throws Exception {
        String er = "Bearer " + tokens.withRoles("er-8", "clinician", "break-glass");
        ledgerDown = true;
        try {
            assertProblem(anonymous("/oncology/Patient", "Authorization", er, "PHIGate-Break-Glass", "Cardiac arrest, need medication list"),
                    503, "PHIG-5031");
        } finally {
            ledgerDown = false;
        }
    }

    @Test
    void theBackendLearnsTheCallerFromTheGatewayNotFromTheClient() throws Exception {
        HttpResponse<String> response = get("/fhir/_debug/echo", "X-PHIGate-Subject", "someone-else", "x-phigate-roles", "gateway-admin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"x-phigate-subject\":[\"" + TestTokens.CLINICIAN_SUBJECT + "\"]",
                "\"x-phigate-client\":[\"phigate-ehr\"]", "\"x-phigate-roles\":[\"clinician\"]");
        assertThat(response.body()).doesNotContain("someone-else", "gateway-admin", "authorization", "Bearer");
    }

    @Test
    void aTokenSignedWithARotatedKeyIsAcceptedOnceTheKeysAreRefreshed() throws Exception {
        String rotated = tokens.rotateAndSign();

        HttpResponse<String> response = anonymous("/fhir/Patient", "Authorization", "Bearer " + rotated);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientRequestIdThatIsNotAnIdIsDropped() throws Exception {
        HttpResponse<String> response = get("/fhir/_debug/echo", "X-Request-Id", "<script>alert(1)</script>");

        assertThat(response.body()).doesNotContain("x-client-request-id", "script");
    }

    @Test
    void unknownRouteIsA404Problem() throws Exception {
        HttpResponse<String> response = anonymous("/admin/users");

        assertProblem(response, 404, "PHIG-4040");
    }

    @Test
    void aMethodTheRouteDoesNotAllowIsA405WithAllow() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/ro/Patient"))
                .header("Authorization", "Bearer " + tokens.clinician()).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 405, "PHIG-4050");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void pathsThatBackendAndGatewayCouldReadDifferentlyAreRefused() throws Exception {
        assertProblem(get("/fhir/..%2Fadmin"), 400, "PHIG-4001");
        assertProblem(get("/fhir/%2e%2e/admin"), 400, "PHIG-4001");
        assertProblem(get("/fhir/Patient;jsessionid=1"), 400, "PHIG-4001");
        assertProblem(get("/f%68ir/Patient"), 400, "PHIG-4001");
    }

    @Test
    void aDeadBackendIsA502Problem() throws Exception {
        assertProblem(get("/dead/anything"), 502, "PHIG-5020");
    }

    @Test
    void aBackendThatNeverAcceptsFailsAtTheRoutesConnectTimeoutNotItsRequestTimeout() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get("/black-hole/Patient");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertProblem(response, 502, "PHIG-5020");
        assertThat(took).as("two attempts of 400 ms, far below the 20 s request timeout").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aSlowBackendIsA504Problem() throws Exception {
        assertProblem(get("/slow/slow?ms=3000"), 504, "PHIG-5040");
    }

    @Test
    void aBackendWithAnUntrustedCertificateIsNeverCalled() throws Exception {
        assertProblem(get("/untrusted/Patient"), 502, "PHIG-5020");
    }

    @Test
    void aBackendWhoseCertificateNamesAnotherHostIsNeverCalled() throws Exception {
        assertProblem(get("/wrong-name/Patient"), 502, "PHIG-5020");
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void aForwardedRequestLeavesItsAccessEntryAndItsOutcomeWithoutThePatientId() throws Exception {
        HttpResponse<String> response = get("/fhir/Patient/p-1002?_count=5&name=Smith");

        assertThat(response.statusCode()).isEqualTo(200);
        var entries = journal.of(requestId(response), 2);
        assertThat(entries).extracting(e -> e.kind().name()).containsExactly("ACCESS", "OUTCOME");
        var access = entries.get(0);
        assertThat(access.decision().name()).isEqualTo("FORWARD");
        assertThat(access.path()).isEqualTo("/fhir/Patient/*?_count=5");
        assertThat(access.patient()).isEqualTo(journal.pseudonyms().patient("p-1002"));
        assertThat(access.subject()).isEqualTo(TestTokens.CLINICIAN_SUBJECT);
        assertThat(access.tlsProtocol()).startsWith("TLSv1.");
        assertThat(access.backend()).isEqualTo("demo");
        assertThat(entries.get(1).status()).isEqualTo(200);
        assertThat(entries.get(1).bytesOut()).isEqualTo(response.body().length());
        assertThat(entries.toString()).doesNotContain("p-1002", "Smith");
    }

    @Test
    void everyRefusalIsRecordedOnceWithItsPreciseReasonWhichTheClientDoesNotSee() throws Exception {
        HttpResponse<String> noToken = anonymous("/fhir/Patient");
        HttpResponse<String> forged = anonymous("/fhir/Patient", "Authorization", "Bearer " + tokens.clinician() + "x");
        HttpResponse<String> forbidden = get("/admins/Patient");
        HttpResponse<String> noRoute = get("/nowhere/at-all");

        assertThat(forged.body()).doesNotContain("PHIG-412");
        assertThat(journal.of(requestId(noToken), 1)).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("PHIG-4011"));
        assertThat(journal.of(requestId(forged), 1)).singleElement().satisfies(e -> assertThat(e.reason()).startsWith("PHIG-412"));
        assertThat(journal.of(requestId(forbidden), 1)).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("PHIG-4032");
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.decision().name()).isEqualTo("REFUSE");
        });
        assertThat(journal.of(requestId(noRoute), 1)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.route()).isNull();
        });
        Thread.sleep(200);
        assertThat(journal.stored.stream().filter(e -> e.requestId().equals(requestId(forbidden)))).hasSize(1);
    }

    @Test
    void whenTheAuditStoreIsDownNothingIsForwardedAndServiceReturnsWithTheStore() throws Exception {
        journal.down = true;
        try {
            HttpResponse<String> refused = get("/fhir/_debug/echo");

            assertProblem(refused, 503, "PHIG-5032");
            assertThat(refused.headers().firstValue("X-Backend-Instance")).isEmpty();
        } finally {
            journal.down = false;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = get("/fhir/Patient").statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    /** A keep-alive HTTP/1.1 connection carries request after request, forwarded or refused. */
    @Test
    void oneHttp11ConnectionCarriesManyAuditedRequests() throws Exception {
        URI uri = URI.create(base);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TestPki.trusted().clientTls().getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            String token = tokens.clinician();
            for (String path : new String[] {"/fhir/Patient", "/fhir/Patient/p-1001", "/admins/Patient", "/fhir/Observation"}) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in, path);
                assertThat(head).as(path).matches("(?s)HTTP/1.1 (200|403) .*").doesNotContainIgnoringCase("connection: close");
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                assertThat(length.find()).as("a length in %s", head).isTrue();
                in.readNBytes(Integer.parseInt(length.group(1)));
            }
        }
    }

    private static String readHead(java.io.InputStream in, String path) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the gateway closed the connection instead of answering " + path);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(response.body()).contains("\"code\":\"" + code + "\"", "\"status\":" + status)
                .doesNotContain("127.0.0.1", "Exception");
    }
}
