// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and, optionally, their private key, as an operator brings them: a PEM text (certificates, and an
 * unencrypted PKCS#8 key) or a PKCS#12 file with its password. The chain is put in order, leaf first, whatever order
 * it came in. Reading is all this does; {@link CertificateCheck} decides whether the material is good enough.
 */
public record CertificateMaterial(List<X509Certificate> chain, Optional<PrivateKey> key) {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    public CertificateMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "no certificate found");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @throws CertificateRefused (PHIG-1101) when the text holds no certificate or something that cannot be read */
    public static CertificateMaterial fromPem(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        Optional<PrivateKey> key = Optional.empty();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = decode(m.group(2));
            switch (m.group(1)) {
                case "CERTIFICATE" -> certificates.add(certificate(der));
                case "PRIVATE KEY" -> {
                    if (key.isPresent()) {
                        throw new CertificateRefused(CertificateRefused.UNREADABLE, "more than one private key; send the one of the leaf certificate");
                    }
                    key = Optional.of(pkcs8(der));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new CertificateRefused(CertificateRefused.UNREADABLE,
                        "a '" + m.group(1) + "' block is not read; convert the key to unencrypted PKCS#8 (openssl pkcs8 -topk8 -nocrypt)"
                                + " or send a PKCS#12 file with its password");
                default -> throw new CertificateRefused(CertificateRefused.UNREADABLE, "a PEM block of type '" + m.group(1) + "' is not a certificate or key");
            }
        }
        return new CertificateMaterial(ordered(certificates), key);
    }

    /** @throws CertificateRefused (PHIG-1101) when the file cannot be opened with the password or holds no certificate */
    public static CertificateMaterial fromPkcs12(byte[] file, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(file), password);
            List<String> withKeys = Collections.list(store.aliases()).stream().filter(a -> isKeyEntry(store, a)).toList();
            if (withKeys.size() > 1) {
                throw new CertificateRefused(CertificateRefused.UNREADABLE, "the PKCS#12 file holds " + withKeys.size() + " keys; send one");
            }
            if (withKeys.size() == 1) {
                String alias = withKeys.get(0);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new CertificateMaterial(ordered(chain), Optional.of((PrivateKey) store.getKey(alias, password)));
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate c) {
                    certificates.add(c);
                }
            }
            return new CertificateMaterial(ordered(certificates), Optional.empty());
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "the PKCS#12 file cannot be read with this password");
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Leaf first: the one certificate that issued none of the others, then each one's issuer as far as the material goes.
     * A certificate sent twice (a full chain pasted after its leaf) counts once.
     */
    static List<X509Certificate> ordered(List<X509Certificate> certificates) {
        List<X509Certificate> rest = new ArrayList<>(new java.util.LinkedHashSet<>(certificates));
        List<X509Certificate> leaves = rest.stream().filter(c -> rest.stream().noneMatch(o -> o != c && issued(c, o))).toList();
        if (rest.isEmpty()) {
            return rest;
        }
        if (leaves.size() != 1) {
            throw new CertificateRefused(CertificateRefused.BROKEN_CHAIN, "the certificates are not one chain (" + leaves.size()
                    + " of them issued none of the others); send the leaf and its intermediates only");
        }
        List<X509Certificate> chain = new ArrayList<>(List.of(leaves.get(0)));
        rest.remove(leaves.get(0));
        X509Certificate at = leaves.get(0);
        while (!rest.isEmpty()) {
            X509Certificate current = at;
            Optional<X509Certificate> issuer = rest.stream().filter(c -> issued(c, current)).findFirst();
            if (issuer.isEmpty()) {
                throw new CertificateRefused(CertificateRefused.BROKEN_CHAIN, "no certificate of the material issued "
                        + current.getSubjectX500Principal().getName() + ", yet others remain");
            }
            chain.add(issuer.get());
            rest.remove(issuer.get());
            at = issuer.get();
        }
        return chain;
    }

    private static boolean issued(X509Certificate issuer, X509Certificate subject) {
        return issuer != subject && subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "a PEM block is not valid base64");
        }
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "a CERTIFICATE block is not an X.509 certificate");
        }
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new CertificateRefused(CertificateRefused.UNREADABLE, "the private key is not an RSA, EC or EdDSA key in PKCS#8");
    }

    @Override
    public String toString() {
        return "CertificateMaterial[" + leaf().getSubjectX500Principal().getName() + ", " + chain.size() + " certificates"
                + (key.isPresent() ? ", with key" : "") + "]";
    }
}
