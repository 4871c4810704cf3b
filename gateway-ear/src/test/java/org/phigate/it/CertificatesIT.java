// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.certificate.TestCertificates;
import org.phigate.demo.FhirDemoServer;

/**
 * The certificate inventory on the real server: the listeners' certificate is inventoried at start, imports are
 * checked (weak and expired material refused with its reason), keys go to the restricted key store and never into an
 * answer, expiring certificates are announced, and a new server certificate is activated while clients keep calling:
 * not one request fails, and new handshakes get the new certificate.
 */
class CertificatesIT extends AgainstTheGateway {

    private static TestCertificates.Issued ca;

    /** The server's private CA, from the files pki.sh made: what the test clients trust, and what signs the new certificates. */
    @BeforeAll
    static void privateCa() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(gateway.pki().resolve("ca.p12"))) {
            store.load(in, gateway.password());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("ca");
        ca = new TestCertificates.Issued(new KeyPair(certificate.getPublicKey(), (PrivateKey) store.getKey("ca", gateway.password())),
                certificate, List.of(certificate));
    }

    /** A certificate of the server's private CA (SANs 127.0.0.1 and a DNS name), its chain, and its key as PKCS#8 unless {@code withKey} is false. */
    private static String issue(TestCertificates.Spec spec, KeyPurposeId usage, boolean withKey) throws Exception {
        TestCertificates.Issued issued = TestCertificates.issuedBy(ca, spec.usage(usage));
        return withKey ? issued.pemWithKey() : issued.pem();
    }

    private static TestCertificates.Spec valid(Instant from, Instant to) {
        return TestCertificates.spec().valid(from, to);
    }

    private static HttpResponse<String> importPem(String name, String purpose, String pem) throws Exception {
        String body = "{\"purpose\":\"" + purpose + "\",\"pem\":\"" + pem.replace("\n", "\\n") + "\"}";
        return gateway.put(Gateway.ADMIN + "/api/certificates/" + name, "application/json", body, ops());
    }

    private static String name(String what) {
        return "it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static SSLContext trustingCa() throws Exception {
        return ca.trustingTls(null);
    }

    /** One GET on a connection of its own (a new TLS handshake each time, host name checked), closed after the answer. */
    private static int getOnNewConnection(SSLContext tls, String path, String token) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", 8443)) {
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8443\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    /** The SHA-256 fingerprint of the certificate a new TLS handshake with the port gets. */
    private static String presented(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustingCa().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(socket.getSession().getPeerCertificates()[0].getEncoded()));
        }
    }

    @Test
    void importsAreCheckedAndKeysStayOutOfTheDatabaseAndTheAnswers() throws Exception {
        String inventory = gateway.get(Gateway.ADMIN + "/api/certificates", ops()).body();
        assertThat(inventory).as("the listeners' certificate is inventoried at start")
                .contains("\"purpose\":\"server\"", "\"keyReference\":\"elytron:phigate-server-ks\"")
                .as("and the CA of the backend trust store").contains("\"purpose\":\"trust\"", "\"keyReference\":\"truststore:phigate.backend.truststore\"");

        Instant now = Instant.now();
        HttpResponse<String> weak = importPem(name("weak"), "server", issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(90))).rsa(1024),
                KeyPurposeId.id_kp_serverAuth, true));
        assertThat(weak.statusCode()).isEqualTo(422);
        assertThat(weak.body()).contains("PHIG-1100", "PHIG-1102", "1024 bits");
        HttpResponse<String> expired = importPem(name("expired"), "client", issue(valid(now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1))), KeyPurposeId.id_kp_clientAuth, true));
        assertThat(expired.body()).contains("PHIG-1104", "expired at");

        String client = name("client");
        HttpResponse<String> imported = importPem(client, "client", issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(10))),
                KeyPurposeId.id_kp_clientAuth, true));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(imported.body()).contains("\"keyReference\":\"keys:" + client + "\"", "\"keyType\":\"EC\"", "\"keySize\":256",
                "\"subjectAltNames\":\"dns:gateway.hospital.example,ip:127.0.0.1\"").doesNotContain("PRIVATE KEY");
        assertThat(gateway.get(Gateway.ADMIN + "/api/certificates/" + client, ops()).body()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
        Path keys = gateway.pki().getParent().resolve("phigate-keys").resolve("keys.p12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
        assertThat(importPem(name("again"), "client", issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(10))),
                KeyPurposeId.id_kp_clientAuth, false)).body()).as("a client certificate without its key").contains("PHIG-1108");

        assertThat(gateway.get(Gateway.ADMIN + "/api/expiries", ops()).body())
                .contains("\"kind\":\"certificate\",\"name\":\"" + client + "\"", "\"stage\":\"14d\"", "\"daysLeft\":9");
        assertThat(gateway.get(Gateway.ADMIN + "/api/metrics", ops()).body()).contains("phigate_certificate_expiry_timestamp_seconds{name=\"" + client + "\"");
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/changes", ops()).body()).contains("certificates." + client);
        assertThat(gateway.delete(Gateway.ADMIN + "/api/certificates/" + client, ops()).statusCode()).isEqualTo(204);
    }

    @Test
    void aNewServerCertificateIsActivatedUnderLoadWithoutAFailedRequestAndNewHandshakesGetIt() throws Exception {
        FhirDemoServer backend = backend("rotation");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"it-rotation": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-rotation": {"prefix": "/it-rotation/", "pool": "it-rotation", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
        Instant now = Instant.now();
        TestCertificates.Issued sameName = TestCertificates.selfSigned(TestCertificates.spec()
                .subject(ca.certificate().getSubjectX500Principal().getName()).ca());
        assertThat(importPem(name("same-ca-name"), "client", TestCertificates.issuedBy(sameName, TestCertificates.spec()
                .usage(KeyPurposeId.id_kp_clientAuth)).pemWithKey()).statusCode())
                .as("a key of another CA with the same name in the key store: the rotation must still present our CA's chain").isEqualTo(201);
        String next = name("server");
        HttpResponse<String> imported = importPem(next, "server", issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(397))),
                KeyPurposeId.id_kp_serverAuth, true));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        String fingerprint = imported.body().replaceAll(".*\"fingerprint\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(presented(8443)).isNotEqualTo(fingerprint);

        String token = ehr();
        SSLContext tls = trustingCa();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Instant deadline = Instant.now().plusSeconds(40);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean newConnectionEachTime = t % 2 == 0;
            clients.add(load.submit(() -> {
                HttpClient kept = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = 0; i < 5_000 && !stop.get() && Instant.now().isBefore(deadline); i++) {
                    try {
                        int status = newConnectionEachTime ? getOnNewConnection(tls, "/it-rotation/metadata", token)
                                : kept.send(HttpRequest.newBuilder(URI.create(Gateway.DATA + "/it-rotation/metadata")).header("Authorization", "Bearer " + token)
                                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                        if (status == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("status " + status);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        while (ok.get() < 600 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        int before = ok.get();
        HttpResponse<String> activated = gateway.send(HttpRequest.newBuilder(URI.create(Gateway.ADMIN + "/api/certificates/" + next + "/activate"))
                .header("Authorization", "Bearer " + ops()).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build());
        int atSwitch = ok.get();
        while (ok.get() < atSwitch + 600 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Future<?> c : clients) {
            c.get();
        }
        load.shutdown();

        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(failures).as("failed requests around the rotation").isEmpty();
        assertThat(before).isGreaterThanOrEqualTo(600);
        assertThat(ok.get()).as("requests served after the switch").isGreaterThanOrEqualTo(atSwitch + 600);
        assertThat(presented(8443)).as("a new handshake on the data plane").isEqualTo(fingerprint);
        assertThat(presented(9443)).as("a new handshake on the admin plane").isEqualTo(fingerprint);
        assertThat(gateway.get(Gateway.ADMIN + "/api/certificates/" + next, ops()).body()).contains("\"active\":true");
        assertThat(gateway.delete(Gateway.ADMIN + "/api/certificates/" + next, ops()).body()).as("the active one cannot go").contains("PHIG-1112");
        System.out.println("rotation under load: " + before + " requests before the switch, " + (ok.get() - atSwitch) + " after, 0 failed");
    }

    @Test
    void aPoolUsesCertificatesOfTheInventoryByNameAndTheyCannotGoWhileItDoes() throws Exception {
        String inventory = gateway.get(Gateway.ADMIN + "/api/certificates", ops()).body();
        java.util.regex.Matcher anchor = java.util.regex.Pattern.compile("\"name\":\"(backend-trust-[0-9a-f]{12})\"").matcher(inventory);
        assertThat(anchor.find()).as(inventory).isTrue();
        String client = name("pool-client");
        Instant now = Instant.now();
        assertThat(importPem(client, "client", issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(90))), KeyPurposeId.id_kp_clientAuth, true))
                .statusCode()).isEqualTo(201);
        FhirDemoServer backend = backend("pool-tls");
        String pool = """
                {"pools": {"it-pool-tls": {"backends": ["https://127.0.0.1:%d"], "tls": {"trust": ["%s"], "clientCertificate": "%s"}}},
                 "routes": {"it-pool-tls": {"prefix": "/it-pool-tls/", "pool": "it-pool-tls", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """;

        HttpResponse<String> applied = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json",
                pool.formatted(backend.port(), anchor.group(1), client), ops());
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(gateway.get(Gateway.DATA + "/it-pool-tls/metadata", ehr()).statusCode()).isEqualTo(200);
        HttpResponse<String> wrongPurpose = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json",
                pool.formatted(backend.port(), client, client), ops());
        assertThat(wrongPurpose.statusCode()).isEqualTo(422);
        assertThat(wrongPurpose.body()).contains("PHIG-1011", "pools.it-pool-tls.tls.trust");
        HttpResponse<String> inUse = gateway.delete(Gateway.ADMIN + "/api/certificates/" + client, ops());
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(inUse.body()).contains("PHIG-1112", "it-pool-tls");
    }

    @Test
    void theConfigurationFileNamesCertificatesByPathAndAWeakOneIsRefusedAtItsName() throws Exception {
        String inventory = gateway.get(Gateway.ADMIN + "/api/certificates", ops()).body();
        java.util.regex.Matcher anchor = java.util.regex.Pattern.compile("\"name\":\"(backend-trust-[0-9a-f]{12})\"").matcher(inventory);
        assertThat(anchor.find()).as(inventory).isTrue();
        Instant now = Instant.now();
        String client = name("file-client");
        String vendorCa = name("file-ca");
        Path folder = Files.createDirectories(gateway.configFolder().resolve("it-certificates"));
        Files.writeString(folder.resolve(client + ".pem"), issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(90))),
                KeyPurposeId.id_kp_clientAuth, true));
        Files.writeString(folder.resolve(vendorCa + ".pem"), TestCertificates.selfSigned(TestCertificates.spec().subject("CN=File Vendor CA").ca()).pem());
        FhirDemoServer backend = backend("file-tls");

        String sha = gateway.writeConfiguration("""
                certificates:
                  %1$s: {purpose: client, file: it-certificates/%1$s.pem}
                  %2$s: {purpose: trust, file: it-certificates/%2$s.pem}
                pools:
                  it-file-tls: {backends: ["https://127.0.0.1:%3$d"], tls: {trust: [%4$s], clientCertificate: %1$s}}
                routes:
                  it-file-tls: {prefix: /it-file-tls/, pool: it-file-tls, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(client, vendorCa, backend.port(), anchor.group(1)));
        assertThat(gateway.get(Gateway.ADMIN + "/api/health").body()).contains("\"appliedSha256\":\"" + sha + "\"");
        assertThat(gateway.get(Gateway.DATA + "/it-file-tls/metadata", ehr()).statusCode()).isEqualTo(200);
        assertThat(gateway.get(Gateway.ADMIN + "/api/certificates/" + client, ops()).body())
                .contains("\"purpose\":\"client\"", "\"keyReference\":\"keys:" + client + "\"", "\"importedBy\":\"configuration-file\"");
        assertThat(gateway.get(Gateway.ADMIN + "/api/certificates/" + vendorCa, ops()).body()).contains("CN=File Vendor CA");

        String weak = name("file-weak");
        Files.writeString(folder.resolve(weak + ".pem"), issue(valid(now.minusSeconds(60), now.plus(Duration.ofDays(90))).rsa(1024),
                KeyPurposeId.id_kp_clientAuth, true));
        String refused = gateway.writeConfiguration("""
                certificates:
                  %1$s: {purpose: client, file: it-certificates/%1$s.pem}
                """.formatted(weak));
        assertThat(gateway.get(Gateway.ADMIN + "/api/health").body()).contains("\"refusedSha256\":\"" + refused + "\"", "PHIG-1102",
                "certificates." + weak);
        assertThat(gateway.get(Gateway.ADMIN + "/api/certificates/" + weak, ops()).statusCode()).isEqualTo(404);
    }
}
