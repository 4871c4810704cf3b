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

    SSLContext serverTls() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load("server.p12"), password());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    SSLContext clientTls() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load("truststore.p12"));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
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
