// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Issues certificates for the tests, good and bad on purpose: weak keys, SHA-1, expired, wrong usage, broken chains. */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A key pair with its certificate, and the chain above it (leaf first). */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {

        public String pem() {
            StringBuilder text = new StringBuilder();
            chain.forEach(c -> text.append(block("CERTIFICATE", der(c))));
            return text.toString();
        }

        /** This certificate alone, without its issuers. */
        public String certificatePem() {
            return block("CERTIFICATE", der(certificate));
        }

        public String keyPem() {
            return block("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        public String pemWithKey() {
            return pem() + block("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        /** A PKCS#12 store that trusts this certificate alone: what a client of a server of this CA loads. */
        public KeyStore trustStore() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            return store;
        }

        /** TLS that trusts this certificate alone and, with {@code keys}, presents the key and chain of {@code keys}. */
        public SSLContext trustingTls(Issued keys) throws Exception {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            KeyManager[] managers = null;
            if (keys != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.keys().getPrivate(), new char[0], keys.chain().toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                managers = kmf.getKeyManagers();
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(managers, tmf.getTrustManagers(), null);
            return tls;
        }

        public byte[] pkcs12(char[] password) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), password, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        }
    }

    /** How a certificate is made; every default is the good choice. */
    public static final class Spec {
        String subject = "CN=test";
        String keyType = "EC";
        int keySize = 256;
        String signature;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        boolean ca;
        KeyPurposeId usage = KeyPurposeId.id_kp_serverAuth;
        String dns = "gateway.hospital.example";

        public Spec subject(String name) {
            subject = name;
            return this;
        }

        public Spec ec(int bits) {
            keyType = "EC";
            keySize = bits;
            return this;
        }

        public Spec rsa(int bits) {
            keyType = "RSA";
            keySize = bits;
            return this;
        }

        public Spec signedWith(String algorithm) {
            signature = algorithm;
            return this;
        }

        public Spec valid(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        public Spec ca() {
            ca = true;
            usage = null;
            return this;
        }

        public Spec usage(KeyPurposeId purpose) {
            usage = purpose;
            return this;
        }
    }

    public static Spec spec() {
        return new Spec();
    }

    public static Issued selfSigned(Spec spec) throws Exception {
        KeyPair keys = keys(spec);
        X509Certificate c = sign(spec, keys, new X500Name(spec.subject), keys.getPrivate(), spec.signature != null ? spec.signature : algorithm(keys));
        return new Issued(keys, c, List.of(c));
    }

    public static Issued issuedBy(Issued issuer, Spec spec) throws Exception {
        KeyPair keys = keys(spec);
        X509Certificate c = sign(spec, keys, X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), issuer.keys().getPrivate(),
                spec.signature != null ? spec.signature : algorithm(issuer.keys()));
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(c));
        chain.addAll(issuer.chain());
        return new Issued(keys, c, List.copyOf(chain));
    }

    private static KeyPair keys(Spec spec) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(spec.keyType);
        if (spec.keyType.equals("EC")) {
            generator.initialize(new ECGenParameterSpec(spec.keySize == 384 ? "secp384r1" : "secp256r1"));
        } else {
            generator.initialize(spec.keySize);
        }
        return generator.generateKeyPair();
    }

    private static String algorithm(KeyPair issuer) {
        return issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static X509Certificate sign(Spec spec, KeyPair keys, X500Name issuer, PrivateKey signer, String algorithm) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(spec.notBefore), Date.from(spec.notAfter), new X500Name(spec.subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca));
        if (spec.usage != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.usage));
        }
        if (!spec.ca) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, spec.dns), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
