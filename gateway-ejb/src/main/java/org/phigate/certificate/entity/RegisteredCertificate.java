// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.phigate.certificate.control.CertificateDetails;
import org.phigate.certificate.control.CertificatePurpose;

/**
 * A certificate of the inventory. Immutable once imported, except for {@link #activate}/{@link #deactivate}: a new
 * certificate is a new entry, so the inventory keeps what was presented when. Holds no private key, only where it is.
 */
@Entity
@Table(name = "certificate")
@NamedQuery(name = RegisteredCertificate.FIND_ALL, query = "SELECT c FROM RegisteredCertificate c ORDER BY c.name")
@NamedQuery(name = RegisteredCertificate.FIND_BY_NAME, query = "SELECT c FROM RegisteredCertificate c WHERE c.name = :name")
@NamedQuery(name = RegisteredCertificate.FIND_ACTIVE, query = "SELECT c FROM RegisteredCertificate c WHERE c.purpose = :purpose AND c.active = true")
public class RegisteredCertificate {

    public static final String FIND_ALL = "RegisteredCertificate.findAll";
    public static final String FIND_BY_NAME = "RegisteredCertificate.findByName";
    public static final String FIND_ACTIVE = "RegisteredCertificate.findActive";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(nullable = false, length = 12)
    private String purpose;

    @Column(nullable = false, length = 1024)
    private String subject;

    @Column(name = "subject_alt_names", length = 2048)
    private String subjectAltNames;

    @Column(nullable = false, length = 1024)
    private String issuer;

    @Column(nullable = false, length = 64)
    private String serial;

    @Column(name = "not_before", nullable = false)
    private Instant notBefore;

    @Column(name = "not_after", nullable = false)
    private Instant notAfter;

    @Column(name = "key_type", nullable = false, length = 16)
    private String keyType;

    @Column(name = "key_size", nullable = false)
    private int keySize;

    @Column(name = "signature_algorithm", nullable = false, length = 64)
    private String signatureAlgorithm;

    @Column(nullable = false, length = 64)
    private String fingerprint;

    @Column(name = "chain_pem", nullable = false, length = 65536)
    private String chainPem;

    @Column(name = "key_reference", length = 128)
    private String keyReference;

    @Column(nullable = false)
    private boolean active;

    @Column(name = "imported_at", nullable = false)
    private Instant importedAt;

    @Column(name = "imported_by", nullable = false)
    private String importedBy;

    protected RegisteredCertificate() {
    }

    public RegisteredCertificate(String name, CertificatePurpose purpose, CertificateDetails details, Optional<String> keyReference,
                                 Instant importedAt, String importedBy) {
        this.name = Objects.requireNonNull(name, "name");
        this.purpose = purpose.slug();
        this.subject = details.subject();
        this.subjectAltNames = details.subjectAltNames().isEmpty() ? null : String.join(",", details.subjectAltNames());
        this.issuer = details.issuer();
        this.serial = details.serial();
        this.notBefore = details.notBefore();
        this.notAfter = details.notAfter();
        this.keyType = details.keyType();
        this.keySize = details.keySize();
        this.signatureAlgorithm = details.signatureAlgorithm();
        this.fingerprint = details.fingerprint();
        this.chainPem = details.chainPem();
        this.keyReference = keyReference.orElse(null);
        this.importedAt = Objects.requireNonNull(importedAt, "importedAt");
        this.importedBy = Objects.requireNonNull(importedBy, "importedBy");
    }

    public void activate() {
        active = true;
    }

    public void deactivate() {
        active = false;
    }

    public String name() {
        return name;
    }

    public CertificatePurpose purpose() {
        return CertificatePurpose.valueOf(purpose.toUpperCase(Locale.ROOT));
    }

    public boolean active() {
        return active;
    }

    public Optional<String> keyReference() {
        return Optional.ofNullable(keyReference);
    }

    public Instant importedAt() {
        return importedAt;
    }

    public String importedBy() {
        return importedBy;
    }

    public CertificateDetails details() {
        List<String> sans = subjectAltNames == null ? List.of() : Arrays.asList(subjectAltNames.split(","));
        return new CertificateDetails(subject, sans, issuer, serial, notBefore, notAfter, keyType, keySize, signatureAlgorithm, fingerprint, chainPem);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisteredCertificate other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "RegisteredCertificate[" + name + ", " + purpose + ", " + fingerprint + (active ? ", active" : "") + "]";
    }
}
