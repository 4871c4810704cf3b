// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * TLS towards backends (164.312(e)(1)): TLS 1.3/1.2 only, and the backend's certificate checked against the
 * configured trust store. Undertow's client also checks that the certificate names the backend's host,
 * unless the JVM-wide switch {@value #NO_HOSTNAME_CHECK} is set: the data plane then refuses to start rather
 * than send PHI to a backend it cannot identify.
 */
final class BackendTls {

    static final String NO_HOSTNAME_CHECK = "io.undertow.client.https.disableEndpointIdentification";
    static final OptionMap OPTIONS = OptionMap.create(Options.SSL_ENABLED_PROTOCOLS, Sequence.of("TLSv1.3", "TLSv1.2"));

    private BackendTls() {
    }

    /** From the system properties that the server configuration sets. */
    static SSLContext fromSystemProperties() throws IOException, GeneralSecurityException {
        String store = System.getProperty("phigate.backend.truststore");
        if (store == null || store.isBlank()) {
            throw new GeneralSecurityException("PHIG-0201 no backend trust store: set the system property phigate.backend.truststore");
        }
        return trusting(Path.of(store), System.getProperty("phigate.backend.truststore.password", "").toCharArray());
    }

    static SSLContext trusting(Path truststore, char[] password) throws IOException, GeneralSecurityException {
        if (Boolean.getBoolean(NO_HOSTNAME_CHECK)) {
            throw new GeneralSecurityException("PHIG-0202 backend hostname verification is switched off (" + NO_HOSTNAME_CHECK
                    + "=true); remove that system property");
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trusted.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
