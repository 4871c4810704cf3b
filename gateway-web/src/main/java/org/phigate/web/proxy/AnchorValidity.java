// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a backend's certificate as the JDK does, and then what the JDK does not: that the trust anchor the chain ends
 * at is itself still valid. PKIX treats an anchor as trusted whatever its dates, so a CA that expired (and may no
 * longer be looked after) would go on vouching for backends. Refusing the handshake makes the backend fail its health
 * checks and its requests, so the pool marks it unhealthy and ejects it, and the log says why (PHIG-0821).
 */
final class AnchorValidity extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final List<X509Certificate> anchors;
    private final Clock clock;

    AnchorValidity(X509ExtendedTrustManager delegate, List<X509Certificate> anchors, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.anchors = List.copyOf(anchors);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
        anchorInForce(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
        anchorInForce(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        anchorInForce(chain);
    }

    /** The gateway is the client towards backends: it never judges client certificates with this manager. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the backend trust manager does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the backend trust manager does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the backend trust manager does not check client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private void anchorInForce(X509Certificate[] chain) throws CertificateException {
        Optional<X509Certificate> anchor = anchorOf(chain[chain.length - 1]);
        Instant now = clock.instant();
        if (anchor.isPresent() && !now.isBefore(anchor.get().getNotAfter().toInstant())) {
            throw new CertificateException("PHIG-0821 the trust anchor " + anchor.get().getSubjectX500Principal().getName() + " expired at "
                    + anchor.get().getNotAfter().toInstant() + "; renew it in the backend trust store, or the backend stays unhealthy");
        }
    }

    /** The anchor of the trust store that is the chain's last certificate, or that signed it. */
    Optional<X509Certificate> anchorOf(X509Certificate last) {
        for (X509Certificate anchor : anchors) {
            if (anchor.equals(last)) {
                return Optional.of(anchor);
            }
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signed(anchor, last)) {
                return Optional.of(anchor);
            }
        }
        return Optional.empty();
    }

    private static boolean signed(X509Certificate anchor, X509Certificate certificate) {
        try {
            certificate.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
