// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phigate.certificate.TestCertificates;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/**
 * A backend whose certificate chains to a CA that has expired: the JDK alone would still trust it; the gateway refuses
 * the handshake, so the backend fails its health checks and is marked unhealthy, and no request reaches it: a request
 * that the pool tries in panic mode fails its handshake too (502).
 */
class AnchorValidityChainTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    /** A CA that expired an hour ago, and a backend certificate it issued that is valid itself. */
    private static TestCertificates.Issued lapsedCa() throws Exception {
        Instant now = Instant.now();
        return TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Lapsed Vendor CA").ca()
                .valid(now.minus(Duration.ofDays(800)), now.minus(Duration.ofHours(1))));
    }

    private static X509ExtendedTrustManager pkix(KeyStore trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }

    @Test
    void theJdkTrustsAChainToAnExpiredCaAndTheGatewayDoesNot() throws Exception {
        TestCertificates.Issued lapsedCa = lapsedCa();
        TestCertificates.Issued backend = TestCertificates.issuedBy(lapsedCa, TestCertificates.spec());
        X509Certificate[] chain = {backend.certificate()};
        KeyStore trusted = lapsedCa.trustStore();

        pkix(trusted).checkServerTrusted(chain, "ECDHE_ECDSA");
        AnchorValidity gateway = new AnchorValidity(pkix(trusted), java.util.List.of(lapsedCa.certificate()), Clock.systemUTC());
        assertThatThrownBy(() -> gateway.checkServerTrusted(chain, "ECDHE_ECDSA")).isInstanceOf(CertificateException.class)
                .hasMessageContaining("PHIG-0821").hasMessageContaining("CN=Lapsed Vendor CA");
        AnchorValidity aSecondEarlier = new AnchorValidity(pkix(trusted), java.util.List.of(lapsedCa.certificate()),
                Clock.fixed(lapsedCa.certificate().getNotAfter().toInstant().minusSeconds(1), ZoneOffset.UTC));
        aSecondEarlier.checkServerTrusted(chain, "ECDHE_ECDSA");
    }

    @Test
    void aBackendBehindAnExpiredCaIsMarkedUnhealthyAndNoRequestReachesIt() throws Exception {
        TestCertificates.Issued lapsedCa = lapsedCa();
        TestCertificates.Issued certificate = TestCertificates.issuedBy(lapsedCa, TestCertificates.spec());
        Path keystore = dir.resolve("backend.p12");
        Files.write(keystore, certificate.pkcs12(PASSWORD));
        TestPki pki = TestPki.trusted();
        TestJournal journal = new TestJournal();
        try (FhirDemoServer backend = FhirDemoServer.start(0, keystore, PASSWORD, "behind-lapsed-ca")) {
            RouteTableFeed feed = new RouteTableFeed();
            feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("lapsed.yaml", """
                    pools:
                      vendor:
                        backends: [https://127.0.0.1:%d]
                        healthCheck: {path: /r4/metadata, interval: 300ms, timeout: 300ms, healthyThreshold: 1, unhealthyThreshold: 1}
                    routes:
                      vendor: {prefix: /vendor/, pool: vendor, backendPath: /r4/, policy: {roles: [clinician]}}
                    """.formatted(backend.port()))));
            SSLContext backendTls = BackendTls.trusting(lapsedCa.trustStore(), Clock.systemUTC());
            TestTokens tokens = new TestTokens();
            DataPlane plane = new DataPlane(backendTls, new BearerTokens(TestTokens.SETTINGS, tokens.keys(), Clock.systemUTC()),
                    activation -> { }, Duration.ofMinutes(60), Optional.of(journal.journal)).follow(feed);
            Undertow gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", pki.serverTls()).setHandler(plane.handler()).build();
            gateway.start();
            try {
                await(() -> plane.pools().get(0).backends().get(0).state().equals("unhealthy"));
                int port = ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
                HttpResponse<String> r = HttpClient.newBuilder().sslContext(pki.clientTls()).build().send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/vendor/metadata")).header("Authorization", "Bearer " + tokens.clinician()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("in panic (every backend unhealthy) the pool still tries; the handshake is refused again")
                        .isEqualTo(502);
                assertThat(r.body()).contains("PHIG-5020");
                assertThat(backend.requests()).as("nothing but failed handshakes reached the backend").isZero();
            } finally {
                gateway.stop();
                plane.stopFollowing(feed);
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 10 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
