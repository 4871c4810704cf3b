// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an inventory records of a certificate: who it names (subject, SANs), who vouches for it (issuer, serial), how
 * long (validity), how strong (key type and size, signature algorithm), and its SHA-256 fingerprint, the value that
 * pins it. {@code chainPem} is the certificate and its intermediates: public, and kept so a server can present them.
 */
public record CertificateDetails(String subject, List<String> subjectAltNames, String issuer, String serial, Instant notBefore,
                                 Instant notAfter, String keyType, int keySize, String signatureAlgorithm, String fingerprint,
                                 String chainPem) {

    public CertificateDetails {
        Objects.requireNonNull(subject, "subject");
        subjectAltNames = List.copyOf(subjectAltNames);
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(chainPem, "chainPem");
    }

    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore) && at.isBefore(notAfter);
    }
}
