// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.certificate.control.CertificateCheck;
import org.phigate.certificate.control.CertificateDetails;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateRefused;
import org.phigate.identity.ServiceIdentitySpec;

/** Good material is read in every form with what the inventory records; bad material is refused with each reason. */
class CertificateCheckTest {

    private static final Instant NOW = Instant.now();
    private static TestCertificates.Issued root;
    private static TestCertificates.Issued intermediate;

    @BeforeAll
    static void ca() throws Exception {
        root = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Hospital Root CA").ca());
        intermediate = TestCertificates.issuedBy(root, TestCertificates.spec().subject("CN=Hospital Issuing CA").ca());
    }

    private static CertificateDetails check(String pem, CertificatePurpose purpose) {
        return CertificateCheck.check(CertificateMaterial.fromPem(pem), purpose, NOW);
    }

    private static CertificateRefused refused(String pem, CertificatePurpose purpose) {
        return catchThrowableOfType(CertificateRefused.class, () -> check(pem, purpose));
    }

    @Test
    void aServerCertificateWithItsChainAndKeyIsReadWithEverythingTheInventoryRecords() throws Exception {
        TestCertificates.Issued server = TestCertificates.issuedBy(intermediate, TestCertificates.spec().subject("CN=gateway.hospital.example, O=Hospital"));
        String shuffled = root.pem() + server.keyPem() + intermediate.certificatePem() + server.certificatePem() + root.pem();

        CertificateDetails details = check(shuffled, CertificatePurpose.SERVER);

        assertThat(details.subject()).contains("CN=gateway.hospital.example", "O=Hospital");
        assertThat(details.issuer()).isEqualTo("CN=Hospital Issuing CA");
        assertThat(details.subjectAltNames()).containsExactly("dns:gateway.hospital.example", "ip:127.0.0.1");
        assertThat(details.keyType()).isEqualTo("EC");
        assertThat(details.keySize()).isEqualTo(256);
        assertThat(details.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(details.fingerprint()).isEqualTo(ServiceIdentitySpec.fingerprintOf(server.certificate().getEncoded()));
        assertThat(details.serial()).isEqualTo(server.certificate().getSerialNumber().toString(16));
        assertThat(details.notAfter()).isEqualTo(server.certificate().getNotAfter().toInstant());
        assertThat(CertificateMaterial.fromPem(details.chainPem()).chain()).as("leaf first, then its issuers, each once")
                .containsExactly(server.certificate(), intermediate.certificate(), root.certificate());
    }

    @Test
    void aPkcs12FileIsReadWithItsPasswordAndRefusedWithAnother() throws Exception {
        TestCertificates.Issued client = TestCertificates.issuedBy(intermediate, TestCertificates.spec().rsa(3072).usage(KeyPurposeId.id_kp_clientAuth));
        byte[] file = client.pkcs12("s3cret".toCharArray());

        CertificateDetails details = CertificateCheck.check(CertificateMaterial.fromPkcs12(file, "s3cret".toCharArray()), CertificatePurpose.CLIENT, NOW);
        assertThat(details.keyType()).isEqualTo("RSA");
        assertThat(details.keySize()).isEqualTo(3072);
        assertThat(catchThrowableOfType(CertificateRefused.class, () -> CertificateMaterial.fromPkcs12(file, "wrong".toCharArray())).reasons())
                .extracting(CertificateRefused.Reason::code).containsExactly(CertificateRefused.UNREADABLE);
    }

    @Test
    void weakKeysAndSha1SignaturesAreRefusedWithTheReason() throws Exception {
        TestCertificates.Issued small = TestCertificates.issuedBy(root, TestCertificates.spec().rsa(1024));
        assertThat(refused(small.pemWithKey(), CertificatePurpose.SERVER).reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(CertificateRefused.WEAK_KEY);
            assertThat(r.message()).contains("1024 bits", "2048");
        });
        TestCertificates.Issued rsaRoot = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Old Root").rsa(2048).ca());
        TestCertificates.Issued sha1 = TestCertificates.issuedBy(rsaRoot, TestCertificates.spec().rsa(2048).signedWith("SHA1withRSA"));
        assertThat(refused(sha1.pemWithKey(), CertificatePurpose.SERVER).reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(CertificateRefused.WEAK_SIGNATURE);
            assertThat(r.message()).contains("SHA1withRSA");
        });
        TestCertificates.Issued p384 = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=P-384 CA").ec(384).ca());
        assertThat(CertificateCheck.check(CertificateMaterial.fromPem(p384.pem()), CertificatePurpose.TRUST, NOW).keySize()).isEqualTo(384);
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefusedAnywhereInTheChain() throws Exception {
        TestCertificates.Issued expired = TestCertificates.issuedBy(intermediate, TestCertificates.spec()
                .valid(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))));
        assertThat(refused(expired.pemWithKey(), CertificatePurpose.SERVER).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.EXPIRED);
        TestCertificates.Issued future = TestCertificates.issuedBy(intermediate, TestCertificates.spec()
                .valid(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400))));
        assertThat(refused(future.pemWithKey(), CertificatePurpose.SERVER).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.NOT_YET_VALID);
        TestCertificates.Issued expiredCa = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Lapsed CA").ca()
                .valid(NOW.minus(Duration.ofDays(800)), NOW.minus(Duration.ofHours(1))));
        assertThat(refused(TestCertificates.issuedBy(expiredCa, TestCertificates.spec()).pemWithKey(), CertificatePurpose.SERVER).reasons())
                .singleElement().satisfies(r -> assertThat(r.message()).contains("CN=Lapsed CA", "expired"));
    }

    @Test
    void aChainThatDoesNotVerifyIsRefused() throws Exception {
        TestCertificates.Issued impostor = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Hospital Issuing CA").ca());
        TestCertificates.Issued server = TestCertificates.issuedBy(impostor, TestCertificates.spec());
        String forged = server.pemWithKey().replace(impostor.pem(), "") + intermediate.pem();

        assertThat(refused(forged, CertificatePurpose.SERVER).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.BROKEN_CHAIN);
        TestCertificates.Issued stranger = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Unrelated CA").ca());
        assertThat(refused(server.pemWithKey().replace(impostor.pem(), "") + stranger.pem(), CertificatePurpose.SERVER).reasons())
                .extracting(CertificateRefused.Reason::code).containsExactly(CertificateRefused.BROKEN_CHAIN);
    }

    @Test
    void theKeyMustBelongToTheCertificateAndOnlyPresentedCertificatesCarryOne() throws Exception {
        TestCertificates.Issued server = TestCertificates.issuedBy(intermediate, TestCertificates.spec());
        TestCertificates.Issued other = TestCertificates.issuedBy(intermediate, TestCertificates.spec());
        String mismatched = server.pem() + other.keyPem();

        assertThat(refused(mismatched, CertificatePurpose.SERVER).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.KEY_MISMATCH);
        assertThat(refused(server.pem(), CertificatePurpose.SERVER).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.KEY_MISSING);
        assertThat(refused(root.pemWithKey(), CertificatePurpose.TRUST).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.KEY_NOT_WANTED);
    }

    @Test
    void theUsageMustFitThePurpose() throws Exception {
        TestCertificates.Issued clientOnly = TestCertificates.issuedBy(intermediate, TestCertificates.spec().usage(KeyPurposeId.id_kp_clientAuth));
        assertThat(refused(clientOnly.pemWithKey(), CertificatePurpose.SERVER).reasons()).singleElement()
                .satisfies(r -> assertThat(r.message()).contains("serverAuth"));
        assertThat(check(clientOnly.pem(), CertificatePurpose.IDENTITY).subject()).isEqualTo("CN=test");
        assertThat(refused(clientOnly.pem(), CertificatePurpose.TRUST).reasons()).singleElement()
                .satisfies(r -> assertThat(r.code()).isEqualTo(CertificateRefused.WRONG_USAGE));
        assertThat(check(intermediate.pem(), CertificatePurpose.TRUST).subject()).isEqualTo("CN=Hospital Issuing CA");
    }

    @Test
    void textThatIsNotCertificateMaterialIsRefusedAsUnreadable() {
        assertThat(refused("hello", CertificatePurpose.TRUST).reasons()).extracting(CertificateRefused.Reason::code)
                .containsExactly(CertificateRefused.UNREADABLE);
        assertThat(refused("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", CertificatePurpose.SERVER).reasons())
                .singleElement().satisfies(r -> assertThat(r.message()).contains("openssl pkcs8 -topk8 -nocrypt"));
    }
}
