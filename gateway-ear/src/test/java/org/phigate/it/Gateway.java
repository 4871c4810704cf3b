// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The running gateway as a client sees it: its two https planes, trusted through the CA that the server
 * configuration generated, and its configuration file.
 */
final class Gateway {

    static final String DATA = "https://127.0.0.1:8443";
    static final String ADMIN = "https://127.0.0.1:9443";

    private final Path pki = Path.of(System.getProperty("phigate.test.pki"));
    private final Path configFile = Path.of(System.getProperty("phigate.it.config"));
    private final HttpClient client;

    Gateway() throws Exception {
        client = HttpClient.newBuilder().sslContext(clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    Path pki() {
        return pki;
    }

    char[] password() throws Exception {
        return Files.readString(pki.resolve("password")).trim().toCharArray();
    }

    HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url, String bearerToken) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + bearerToken).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String json, String bearerToken) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/fhir+json").header("Authorization", "Bearer " + bearerToken)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String contentType, String body, String bearerToken) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + bearerToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String url, String contentType, String body, String bearerToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The folder of the configuration file: where files it names by relative path are looked for. */
    Path configFolder() {
        return configFile.getParent();
    }

    /** Writes the configuration file (atomically, as an operator's tooling would) and waits until the gateway has read it. */
    String writeConfiguration(String yaml) throws Exception {
        Files.createDirectories(configFile.getParent());
        Path tmp = Files.createTempFile(configFile.getParent(), "phigate", ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        awaitHealth(body -> body.contains("\"appliedSha256\":\"" + sha + "\"") || body.contains("\"refusedSha256\":\"" + sha + "\""));
        return sha;
    }

    String awaitHealth(Predicate<String> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> health = get(ADMIN + "/api/health");
            last = health.body();
            if (health.statusCode() == 200 && condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway's health did not reach the expected state in 30 s; last: " + last);
    }

    HttpResponse<String> delete(String url, String bearerToken) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + bearerToken).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Issues a client certificate from the server's private CA with pki.sh, as an operator of the demo would. */
    ClientCertificate issueClientCertificate(String name) throws Exception {
        Process script = new ProcessBuilder("bash", System.getProperty("phigate.it.pki.script"), pki.toString(), "client", name)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String fingerprint = new String(script.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (script.waitFor() != 0 || fingerprint.length() != 64) {
            throw new IllegalStateException("pki.sh could not issue a client certificate for " + name);
        }
        Path p12 = pki.resolve("clients").resolve(name + ".p12");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            keys.load(in, password());
        }
        HttpClient withCertificate = HttpClient.newBuilder().sslContext(clientTls(keys)).connectTimeout(Duration.ofSeconds(5)).build();
        return new ClientCertificate(fingerprint, withCertificate);
    }

    /** A client that presents a certificate, and that certificate's SHA-256 fingerprint. */
    record ClientCertificate(String fingerprint, HttpClient client) {
        HttpResponse<String> get(String url) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Sends bytes as written to the data listener over TLS (HTTP/1.1, for framing a client library would not send)
     * and returns what the gateway answered: up to 8 KiB, until the end of a JSON body or 5 s; empty if it closed.
     */
    String raw(String request) throws Exception {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) clientTls().getSocketFactory().createSocket("127.0.0.1", 8443)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[8192];
            int length = 0;
            try {
                for (int n; length < answer.length && (n = in.read(answer, length, answer.length - length)) > 0; ) {
                    length += n;
                    if (new String(answer, 0, length, StandardCharsets.ISO_8859_1).endsWith("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | javax.net.ssl.SSLException stopped) {
                // what has arrived is the answer
            }
            return new String(answer, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A GET over HTTP/2 with a request target sent exactly as given as {@code :path} (curl's --request-target: the
     * JDK's client will not send a space or a byte above 0x7F), with a bearer token. Returns the status line curl
     * saw ("000" when the stream or connection was dropped) and the answer (headers and body), as "STATUS VERSION\nANSWER".
     */
    String http2(String requestTarget, String bearerToken) throws Exception {
        // The target goes through a config file written as UTF-8: a command-line argument would be re-encoded.
        Path config = Files.createTempFile("phigate-curl", ".conf");
        try {
            Files.writeString(config, "request-target = \"" + requestTarget.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                    StandardCharsets.UTF_8);
            Process curl = new ProcessBuilder("curl", "-s", "-i", "--http2", "--max-time", "10", "--cacert", pki.resolve("ca.pem").toString(),
                    "-H", "Authorization: Bearer " + bearerToken, "-K", config.toString(),
                    "-w", "\n%{http_code} %{http_version}", DATA + "/").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!curl.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                curl.destroyForcibly();
                throw new AssertionError("curl did not end within 20 s");
            }
            int last = out.lastIndexOf('\n');
            return out.substring(last + 1) + "\n" + out.substring(0, Math.max(last, 0));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    private SSLContext clientTls() throws Exception {
        return clientTls(null);
    }

    private SSLContext clientTls(KeyStore keys) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("truststore.p12"))) {
            trusted.load(in, password());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }
}
