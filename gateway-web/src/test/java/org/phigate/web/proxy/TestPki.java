// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The certificates that the build made with pki.sh, the script the server configuration uses too. */
record TestPki(Path dir) {

    static TestPki trusted() {
        return new TestPki(Path.of(System.getProperty("phigate.test.pki")));
    }

    static TestPki untrusted() {
        return new TestPki(Path.of(System.getProperty("phigate.test.pki.untrusted")));
    }

    char[] password() throws Exception {
        return Files.readString(dir.resolve("password")).trim().toCharArray();
    }

    Path backendKeystore() {
        return dir.resolve("backend.p12");
    }

    /** The gateway's side: its server certificate, and this CA for the client certificates it asks for. */
    SSLContext serverTls() throws Exception {
        return tls(load("server.p12"), load("truststore.p12"));
    }

    SSLContext clientTls() throws Exception {
        return tls(null, load("truststore.p12"));
    }

    /** A client that presents {@code certificate} (made by {@link #issueClient}) and trusts {@code server}'s CA. */
    SSLContext clientTls(Path certificate, TestPki server) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate)) {
            keys.load(in, password());
        }
        return tls(keys, server.load("truststore.p12"));
    }

    /** Issues a client certificate with pki.sh, as an operator would; answers its file and SHA-256 fingerprint. */
    Issued issueClient(String name) throws Exception {
        Process pki = new ProcessBuilder("bash", System.getProperty("phigate.test.pki.script"), dir.toString(), "client", name)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String fingerprint = new String(pki.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        if (pki.waitFor() != 0 || fingerprint.length() != 64) {
            throw new IllegalStateException("pki.sh could not issue client certificate " + name);
        }
        return new Issued(dir.resolve("clients").resolve(name + ".p12"), fingerprint);
    }

    record Issued(Path p12, String fingerprint) {
    }

    private SSLContext tls(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }

    /** A backend's side: the backend certificate (SAN 127.0.0.1), for test backends written by hand. */
    SSLContext backendServerTls() throws Exception {
        return tls(load("backend.p12"), null);
    }

    SSLContext backendTls() throws Exception {
        return BackendTls.trusting(dir.resolve("truststore.p12"), password());
    }

    private KeyStore load(String file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            ks.load(in, password());
        }
        return ks;
    }
}
