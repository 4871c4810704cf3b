// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * TLS towards backends (164.312(e)(1)): TLS 1.3/1.2 only, and the backend's certificate checked against the
 * configured trust store, whose CAs count only while they are themselves valid ({@link AnchorValidity}). Undertow's client also checks that the certificate names the backend's host,
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
        return trusting(trusted, Clock.systemUTC());
    }

    /** Trusts the CAs of {@code trusted} while each is valid ({@link AnchorValidity}). */
    static SSLContext trusting(KeyStore trusted, Clock clock) throws GeneralSecurityException {
        return context(trusted, null, clock);
    }

    /**
     * A pool's own TLS: only the CAs its {@code tls.trust} names (while each is valid), and its client certificate, if it
     * names one, for backends that ask for one.
     */
    static SSLContext forPool(PoolTlsMaterial material, Clock clock) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < material.anchors().size(); i++) {
            trusted.setCertificateEntry("anchor-" + i, material.anchors().get(i));
        }
        KeyManager[] keys = null;
        if (material.client().isPresent()) {
            char[] password = new char[0];
            KeyStore client = KeyStore.getInstance("PKCS12");
            client.load(null, null);
            client.setKeyEntry("client", material.client().get().key(), password, material.client().get().chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(client, password);
            keys = kmf.getKeyManagers();
        }
        return context(trusted, keys, clock);
    }

    private static SSLContext context(KeyStore trusted, KeyManager[] keys, Clock clock) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        X509ExtendedTrustManager pkix = Arrays.stream(tmf.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast).findFirst()
                .orElseThrow(() -> new GeneralSecurityException("the platform offers no X509ExtendedTrustManager"));
        List<X509Certificate> anchors = new ArrayList<>();
        for (String alias : Collections.list(trusted.aliases())) {
            if (trusted.getCertificate(alias) instanceof X509Certificate anchor) {
                anchors.add(anchor);
            }
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {new AnchorValidity(pkix, anchors, clock)}, null);
        return context;
    }
}
