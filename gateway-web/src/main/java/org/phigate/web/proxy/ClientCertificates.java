// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.phigate.identity.ServiceIdentitySpec;

/**
 * The client certificate a connection presented, as its SHA-256 fingerprint. The TLS layer has already checked
 * the chain against the client CAs; the fingerprint is computed once per HTTP/1.1 connection (kept on the
 * connection) and per HTTP/2 stream, and looked up per request, so that a change in the registry applies to
 * connections already open. Never kept in the {@link SSLSession}: under TLS 1.3, {@code SSLSession.putValue} makes
 * the JDK send a new session ticket in the middle of the connection, and Undertow then closes it.
 */
final class ClientCertificates {

    private static final AttachmentKey<String> FINGERPRINT = AttachmentKey.create(String.class);
    private static final String NONE = "";

    private ClientCertificates() {
    }

    static Optional<String> fingerprint(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        String known = connection.getAttachment(FINGERPRINT);
        if (known == null) {
            SSLSessionInfo tls = connection.getSslSessionInfo();
            SSLSession session = tls == null ? null : tls.getSSLSession();
            known = session == null ? NONE : of(session);
            connection.putAttachment(FINGERPRINT, known);
        }
        return known.isEmpty() ? Optional.empty() : Optional.of(known);
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
