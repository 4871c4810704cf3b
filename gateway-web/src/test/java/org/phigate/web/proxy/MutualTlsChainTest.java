// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * Service identities on the data-plane chain: an embedded Undertow that asks for client certificates (as the
 * WildFly data listener does), client certificates issued by pki.sh, and the registry changed while connections stay open.
 */
class MutualTlsChainTest {

    private static final TestPki pki = TestPki.trusted();
    private static final TestTokens tokens = new TestTokens();
    private static final RouteTableFeed feed = new RouteTableFeed();
    private static FhirDemoServer backend;
    private static Undertow gateway;
    private static String base;
    private static TestPki.Issued labFeed;
    private static TestPki.Issued unregistered;
    private static TestPki.Issued foreign;

    @BeforeAll
    static void start() throws Exception {
        backend = FhirDemoServer.start(0, pki.backendKeystore(), pki.password(), "mtls");
        labFeed = pki.issueClient("lab-feed");
        unregistered = pki.issueClient("unregistered");
        foreign = TestPki.untrusted().issueClient("foreign");
        publish(true);
        DataPlane plane = new DataPlane(pki.backendTls(), new BearerTokens(TestTokens.SETTINGS, tokens.keys(), Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), java.util.Optional.of(new TestJournal().journal)).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", pki.serverTls())
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUESTED)
                .setHandler(plane.handler()).build();
        gateway.start();
        base = "https://127.0.0.1:" + ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The registry: lab-feed (enabled or not) admitted alone on /lab/, with a clinician's token on /both/. */
    private static void publish(boolean labFeedEnabled) {
        String yaml = """
                identities:
                  lab-feed: {fingerprint: "%s", enabled: %s, description: Laboratory results feed}
                pools:
                  demo: {backends: [https://127.0.0.1:%d]}
                routes:
                  lab: {prefix: /lab/, pool: demo, backendPath: /r4/, policy: {identities: [lab-feed]}}
                  both: {prefix: /both/, pool: demo, backendPath: /r4/, policy: {identities: [lab-feed], roles: [clinician]}}
                  tokens: {prefix: /tokens/, pool: demo, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(colons(labFeed.fingerprint()), labFeedEnabled, backend.port());
        RouteTable current = feed.current();
        feed.publish(ConfigurationCheck.merge(current, ConfigurationParser.parse("mtls.yaml", yaml)));
    }

    /** The fingerprint as openssl prints it: operators paste that form. */
    private static String colons(String hex) {
        return hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");
    }

    @AfterAll
    static void stop() {
        gateway.stop();
        backend.close();
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRegisteredCertificateAloneIsTheCallerAndTheBackendLearnsItsIdentity() throws Exception {
        HttpResponse<String> response = get(client(pki.clientTls(labFeed.p12(), pki)), "/lab/_debug/echo",
                "X-PHIGate-Service-Identity", "someone-else");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"x-phigate-service-identity\":[\"lab-feed\"]", "\"x-phigate-subject\":[\"service:lab-feed\"]")
                .doesNotContain("someone-else");
    }

    @Test
    void aRouteThatAlsoNamesRolesNeedsTheTokenToo() throws Exception {
        HttpClient withCertificate = client(pki.clientTls(labFeed.p12(), pki));

        assertThat(get(withCertificate, "/both/Patient").statusCode()).isEqualTo(401);
        assertThat(get(withCertificate, "/both/Patient", "Authorization", "Bearer " + tokens.clinician()).statusCode()).isEqualTo(200);
        HttpResponse<String> tokenOnly = get(client(pki.clientTls()), "/both/Patient", "Authorization", "Bearer " + tokens.clinician());
        assertThat(tokenOnly.statusCode()).isEqualTo(403);
        assertThat(tokenOnly.body()).contains("\"reason\":\"PHIG-4037\"");
    }

    @Test
    void anUnregisteredCertificateIsRefusedWhereIdentitiesAreAskedForAndIgnoredElsewhere() throws Exception {
        HttpClient stranger = client(pki.clientTls(unregistered.p12(), pki));

        HttpResponse<String> refused = get(stranger, "/lab/Patient");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":\"PHIG-4013\"").doesNotContain("PHIG-413");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(get(stranger, "/tokens/Patient", "Authorization", "Bearer " + tokens.clinician()).statusCode()).isEqualTo(200);
    }

    @Test
    void noCertificateAndNoTokenIs401() throws Exception {
        HttpResponse<String> response = get(client(pki.clientTls()), "/lab/Patient");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"PHIG-4011\"");
    }

    /** Whether the client withholds it (the CA is not among those the server names) or the handshake fails, it gets nowhere. */
    @Test
    void aCertificateFromACaTheGatewayDoesNotTrustNeverGetsThrough() throws Exception {
        HttpClient outsider = client(TestPki.untrusted().clientTls(foreign.p12(), pki));

        int status;
        try {
            status = get(outsider, "/lab/Patient").statusCode();
        } catch (IOException refusedInTheHandshake) {
            status = 0;
        }
        assertThat(status).isIn(0, 401);
    }

    @Test
    void disablingAnIdentityRefusesItAtOnceOnTheConnectionItAlreadyHas() throws Exception {
        HttpClient lab = client(pki.clientTls(labFeed.p12(), pki));
        assertThat(get(lab, "/lab/Patient").statusCode()).isEqualTo(200);
        try {
            publish(false);

            HttpResponse<String> refused = get(lab, "/lab/Patient");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("\"code\":\"PHIG-4013\"");
            assertThat(get(lab, "/tokens/Patient", "Authorization", "Bearer " + tokens.clinician()).statusCode())
                    .as("a disabled identity is refused on every route").isEqualTo(401);
        } finally {
            publish(true);
        }
        assertThat(get(lab, "/lab/Patient").statusCode()).isEqualTo(200);
    }
}
