// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.phigate.identity.ServiceIdentitySpec;

/**
 * Decides whether certificate material may enter the inventory for a purpose (164.312(e)(2)(ii)): keys of at least
 * 2048 bits (RSA) or 256 bits (EC), no SHA-1 or MD5 signature anywhere in the chain, every certificate valid now, each
 * link signed by the next, a private key that belongs to the leaf where the gateway presents it and none where it
 * does not, and an extended key usage fit for the purpose. Every failure is reported, not only the first. Pure.
 */
public final class CertificateCheck {

    static final int MIN_RSA_BITS = 2048;
    static final int MIN_EC_BITS = 256;

    private CertificateCheck() {
    }

    /** @throws CertificateRefused with every reason the material fails */
    public static CertificateDetails check(CertificateMaterial material, CertificatePurpose purpose, Instant now) {
        Objects.requireNonNull(now, "now");
        List<CertificateRefused.Reason> reasons = new ArrayList<>();
        List<X509Certificate> chain = material.chain();
        for (X509Certificate c : chain) {
            String who = c == material.leaf() ? "the certificate" : "the CA certificate " + c.getSubjectX500Principal().getName();
            keyStrength(c.getPublicKey()).ifPresent(m -> reasons.add(new CertificateRefused.Reason(CertificateRefused.WEAK_KEY, who + ": " + m)));
            String algorithm = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (algorithm.contains("SHA1") || algorithm.contains("MD5") || algorithm.contains("MD2")) {
                reasons.add(new CertificateRefused.Reason(CertificateRefused.WEAK_SIGNATURE, who + " is signed with " + c.getSigAlgName()
                        + "; re-issue it with SHA-256 or stronger"));
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                reasons.add(new CertificateRefused.Reason(CertificateRefused.NOT_YET_VALID, who + " is valid only from " + c.getNotBefore().toInstant()));
            } else if (!now.isBefore(c.getNotAfter().toInstant())) {
                reasons.add(new CertificateRefused.Reason(CertificateRefused.EXPIRED, who + " expired at " + c.getNotAfter().toInstant()));
            }
        }
        links(chain).ifPresent(m -> reasons.add(new CertificateRefused.Reason(CertificateRefused.BROKEN_CHAIN, m)));
        usage(material.leaf(), purpose).ifPresent(m -> reasons.add(new CertificateRefused.Reason(CertificateRefused.WRONG_USAGE, m)));
        privateKey(material, purpose).ifPresent(reasons::add);
        if (!reasons.isEmpty()) {
            throw new CertificateRefused(reasons);
        }
        return details(material);
    }

    static Optional<String> keyStrength(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits < MIN_RSA_BITS ? Optional.of("an RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are required")
                    : Optional.empty();
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            return bits < MIN_EC_BITS ? Optional.of("an EC key of " + bits + " bits; at least " + MIN_EC_BITS + " are required")
                    : Optional.empty();
        }
        if (key instanceof EdECKey) {
            return Optional.empty();
        }
        return Optional.of("a " + key.getAlgorithm() + " key; use RSA (2048 bits or more), EC (P-256 or more) or Ed25519");
    }

    /** Each certificate signed by the next; the last one, if it signed itself, verified with its own key. */
    private static Optional<String> links(List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean last = i == chain.size() - 1;
            if (last && !c.getIssuerX500Principal().equals(c.getSubjectX500Principal())) {
                return Optional.empty();
            }
            X509Certificate issuer = last ? c : chain.get(i + 1);
            try {
                c.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                return Optional.of("the signature on " + c.getSubjectX500Principal().getName() + " does not verify with the key of "
                        + issuer.getSubjectX500Principal().getName());
            }
            if (!last && issuer.getBasicConstraints() < 0) {
                return Optional.of(issuer.getSubjectX500Principal().getName() + " signed another certificate but is not a CA");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> usage(X509Certificate leaf, CertificatePurpose purpose) {
        if (purpose == CertificatePurpose.TRUST) {
            return leaf.getBasicConstraints() < 0 ? Optional.of("a trust anchor must be a CA certificate (basic constraints CA:true)")
                    : Optional.empty();
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(purpose.extendedKeyUsage) && !eku.contains("2.5.29.37.0")) {
                return Optional.of("its extended key usage does not allow " + (purpose == CertificatePurpose.SERVER ? "serverAuth" : "clientAuth"));
            }
        } catch (CertificateParsingException e) {
            return Optional.of("its extended key usage cannot be read");
        }
        return leaf.getBasicConstraints() >= 0 ? Optional.of("a CA certificate cannot be a " + purpose.slug() + " certificate")
                : Optional.empty();
    }

    private static Optional<CertificateRefused.Reason> privateKey(CertificateMaterial material, CertificatePurpose purpose) {
        if (!purpose.holdsPrivateKey) {
            return material.key().map(k -> new CertificateRefused.Reason(CertificateRefused.KEY_NOT_WANTED, "a " + purpose.slug()
                    + " certificate is registered without its private key; send the certificate alone (the key was not stored)"));
        }
        if (material.key().isEmpty()) {
            return Optional.of(new CertificateRefused.Reason(CertificateRefused.KEY_MISSING, "a " + purpose.slug()
                    + " certificate needs its private key (PEM: a PRIVATE KEY block; or a PKCS#12 file)"));
        }
        return belongs(material.key().get(), material.leaf().getPublicKey()) ? Optional.empty()
                : Optional.of(new CertificateRefused.Reason(CertificateRefused.KEY_MISMATCH, "the private key does not belong to the certificate"));
    }

    /** Signs a random challenge with the private key and checks it with the certificate's public key. */
    static boolean belongs(PrivateKey key, PublicKey certificateKey) {
        if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** What the inventory records of material, without judging it: for certificates the server already presents. */
    public static CertificateDetails details(CertificateMaterial material) {
        X509Certificate leaf = material.leaf();
        PublicKey key = leaf.getPublicKey();
        int size = key instanceof RSAKey rsa ? rsa.getModulus().bitLength() : key instanceof ECKey ec ? ec.getParams().getOrder().bitLength()
                : key.getAlgorithm().equals("Ed448") ? 448 : 255;
        try {
            return new CertificateDetails(leaf.getSubjectX500Principal().getName(), subjectAltNames(leaf), leaf.getIssuerX500Principal().getName(),
                    leaf.getSerialNumber().toString(16), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), key.getAlgorithm(), size,
                    leaf.getSigAlgName(), ServiceIdentitySpec.fingerprintOf(leaf.getEncoded()), pem(material.chain()));
        } catch (CertificateEncodingException e) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "the certificate cannot be encoded again");
        }
    }

    private static List<String> subjectAltNames(X509Certificate leaf) {
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().map(n -> switch ((Integer) n.get(0)) {
                case 1 -> "email:" + n.get(1);
                case 2 -> "dns:" + n.get(1);
                case 6 -> "uri:" + n.get(1);
                case 7 -> "ip:" + n.get(1);
                default -> "other:" + n.get(0);
            }).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** The chain as PEM text, leaf first. */
    public static String pem(List<X509Certificate> chain) throws CertificateEncodingException {
        StringBuilder text = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate c : chain) {
            text.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(c.getEncoded())).append("\n-----END CERTIFICATE-----\n");
        }
        return text.toString();
    }
}
