// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.phigate.identity.ServiceIdentitySpec;

/**
 * The client certificate a connection presented, as its SHA-256 fingerprint. The TLS layer has already checked
 * the chain against the client CAs; the fingerprint is computed once per TLS session (kept in the session, so
 * every HTTP/2 stream and every request of a kept-alive connection reuses it) and looked up per request, so
 * that a change in the registry applies to connections already open.
 */
final class ClientCertificates {

    private static final String FINGERPRINT = "org.phigate.client-certificate-sha256";
    private static final String NONE = "";

    private ClientCertificates() {
    }

    static Optional<String> fingerprint(HttpServerExchange exchange) {
        SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
        SSLSession session = tls == null ? null : tls.getSSLSession();
        if (session == null) {
            return Optional.empty();
        }
        Object known = session.getValue(FINGERPRINT);
        if (known instanceof String fingerprint) {
            return fingerprint.isEmpty() ? Optional.empty() : Optional.of(fingerprint);
        }
        String fingerprint = of(session);
        session.putValue(FINGERPRINT, fingerprint);
        return fingerprint.isEmpty() ? Optional.empty() : Optional.of(fingerprint);
    }

    private static String of(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? NONE : ServiceIdentitySpec.fingerprintOf(chain[0].getEncoded());
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate the TLS layer accepted cannot be encoded", e);
        }
    }
}
