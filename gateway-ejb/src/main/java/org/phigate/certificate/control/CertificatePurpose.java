// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.util.Locale;
import java.util.Optional;

/**
 * What a certificate is for. The gateway holds the private key of what it presents (its listeners' server
 * certificate, its client certificate towards backends) and only the certificate of what it trusts (the backends'
 * CAs) or recognizes (the client certificates of service identities).
 */
public enum CertificatePurpose {
    SERVER("1.3.6.1.5.5.7.3.1", true),
    CLIENT("1.3.6.1.5.5.7.3.2", true),
    TRUST(null, false),
    IDENTITY("1.3.6.1.5.5.7.3.2", false);

    /** The extended key usage the certificate must allow when it lists any; null when it is a CA. */
    final String extendedKeyUsage;
    public final boolean holdsPrivateKey;

    CertificatePurpose(String extendedKeyUsage, boolean holdsPrivateKey) {
        this.extendedKeyUsage = extendedKeyUsage;
        this.holdsPrivateKey = holdsPrivateKey;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CertificatePurpose> of(String slug) {
        for (CertificatePurpose p : values()) {
            if (p.slug().equals(slug)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
