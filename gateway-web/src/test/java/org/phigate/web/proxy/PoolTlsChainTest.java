// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phigate.certificate.TestCertificates;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.KeyVault;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * A pool with TLS of its own, by name in the certificate inventory: it trusts only the CAs it names and presents its
 * client certificate to a backend that requires one (mutual TLS to a vendor). When that client certificate expires,
 * the pool's backends are unhealthy and take no request: 503 at once, nothing sent.
 */
class PoolTlsChainTest {

    private static final TestPki PKI = TestPki.trusted();
    private static final TestTokens TOKENS = new TestTokens();

    private final TestJournal journal = new TestJournal();
    private final TestClock clock = new TestClock(Instant.now());
    private TestCertificates.Issued vendorCa;
    private TestCertificates.Issued otherCa;
    private TestCertificates.Issued client;
    private TestCertificates.Issued shortLived;
    private Undertow vendor;
    private int vendorPort;
    private RouteTableFeed feed;
    private DataPlane plane;
    private Undertow gateway;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Instant now = Instant.now();
        vendorCa = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Vendor CA").ca());
        otherCa = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Some Other CA").ca());
        client = TestCertificates.issuedBy(vendorCa, TestCertificates.spec().subject("CN=phigate-to-vendor").usage(KeyPurposeId.id_kp_clientAuth));
        shortLived = TestCertificates.issuedBy(vendorCa, TestCertificates.spec().subject("CN=phigate-short").usage(KeyPurposeId.id_kp_clientAuth)
                .valid(now.minusSeconds(60), now.plus(Duration.ofDays(3))));
        vendor = mutualTlsBackend(TestCertificates.issuedBy(vendorCa, TestCertificates.spec()), vendorCa);
        vendor.start();
        vendorPort = ((InetSocketAddress) vendor.getListenerInfo().get(0).getAddress()).getPort();

        Map<String, CertificatePurpose> inventory = Map.of("vendor-ca", CertificatePurpose.TRUST, "other-ca", CertificatePurpose.TRUST,
                "to-vendor", CertificatePurpose.CLIENT, "short", CertificatePurpose.CLIENT);
        feed = new RouteTableFeed();
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("pool-tls.yaml", """
                pools:
                  vendor: {backends: [https://127.0.0.1:%1$d], tls: {trust: [vendor-ca], clientCertificate: to-vendor}}
                  wrong-ca: {backends: [https://127.0.0.1:%1$d], tls: {trust: [other-ca], clientCertificate: to-vendor}}
                  short: {backends: [https://127.0.0.1:%1$d], tls: {trust: [vendor-ca], clientCertificate: short}}
                routes:
                  vendor: {prefix: /vendor/, pool: vendor, policy: {roles: [clinician]}}
                  wrong-ca: {prefix: /wrong-ca/, pool: wrong-ca, policy: {roles: [clinician]}}
                  short: {prefix: /short/, pool: short, policy: {roles: [clinician]}}
                """.formatted(vendorPort)), inventory));
        PoolTlsMaterial.Source source = (trust, clientName) -> {
            List<java.security.cert.X509Certificate> anchors = trust.stream().map(n -> (n.equals("vendor-ca") ? vendorCa : otherCa).certificate()).toList();
            TestCertificates.Issued c = clientName.get().equals("short") ? shortLived : client;
            Instant until = c.certificate().getNotAfter().toInstant();
            return Optional.of(new PoolTlsMaterial(anchors, Optional.of(new KeyVault.Entry(c.keys().getPrivate(), c.chain())), until));
        };
        plane = new DataPlane(PKI.backendTls(), source, new BearerTokens(TestTokens.SETTINGS, TOKENS.keys(), Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), Optional.of(journal.journal), clock).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", PKI.serverTls()).setHandler(plane.handler()).build();
        gateway.start();
        base = "https://127.0.0.1:" + ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        gateway.stop();
        plane.stopFollowing(feed);
        vendor.stop();
    }

    /** A backend that requires a client certificate of its CA and answers with that certificate's fingerprint. */
    private static Undertow mutualTlsBackend(TestCertificates.Issued server, TestCertificates.Issued ca) throws Exception {
        SSLContext tls = ca.trustingTls(server);
        return Undertow.builder().addHttpsListener(0, "127.0.0.1", tls).setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED)
                .setHandler(exchange -> {
                    Certificate[] peer = exchange.getConnection().getSslSessionInfo().getPeerCertificates();
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send(ServiceIdentitySpec.fingerprintOf(peer[0].getEncoded()));
                }).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newBuilder().sslContext(PKI.clientTls()).build().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKENS.clinician()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPoolPresentsItsClientCertificateAndTrustsOnlyTheCasItNames() throws Exception {
        HttpResponse<String> r = get("/vendor/anything");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ServiceIdentitySpec.fingerprintOf(client.certificate().getEncoded()));

        HttpResponse<String> wrong = get("/wrong-ca/anything");
        assertThat(wrong.statusCode()).as("the vendor's certificate is not of the CA this pool names").isEqualTo(502);
        assertThat(wrong.body()).contains("PHIG-5020");
    }

    @Test
    void whenItsClientCertificateExpiresThePoolsBackendsAreUnhealthyAndTakeNoRequest() throws Exception {
        Instant expiry = shortLived.certificate().getNotAfter().toInstant();
        clock.set(expiry.minusMillis(1));
        assertThat(get("/short/anything").statusCode()).isEqualTo(200);

        clock.set(expiry);
        HttpResponse<String> r = get("/short/anything");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("PHIG-5035");
        assertThat(plane.pools()).filteredOn(p -> p.name().equals("short")).singleElement()
                .satisfies(p -> assertThat(p.backends()).allMatch(b -> b.state().equals("unhealthy")));
        HttpResponse<String> other = get("/vendor/anything");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }
}
