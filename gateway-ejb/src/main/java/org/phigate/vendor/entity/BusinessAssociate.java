// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor.entity;

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
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.phigate.vendor.control.PhiScope;
import org.phigate.vendor.control.VendorSpec;

/** A vendor that receives PHI, with its business associate agreement: the registry's record of who may get what. */
@Entity
@Table(name = "business_associate")
@NamedQuery(name = BusinessAssociate.FIND_ALL, query = "SELECT b FROM BusinessAssociate b ORDER BY b.name")
@NamedQuery(name = BusinessAssociate.FIND_BY_NAME, query = "SELECT b FROM BusinessAssociate b WHERE b.name = :name")
public class BusinessAssociate {

    public static final String FIND_ALL = "BusinessAssociate.findAll";
    public static final String FIND_BY_NAME = "BusinessAssociate.findByName";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(name = "legal_name", nullable = false, length = 200)
    private String legalName;

    @Column(nullable = false, length = 200)
    private String contact;

    @Column(nullable = false, length = 12)
    private String status;

    @Column(name = "effective_at", nullable = false)
    private Instant effectiveAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "scope_routes", length = 2048)
    private String scopeRoutes;

    @Column(name = "scope_resource_types", length = 2048)
    private String scopeResourceTypes;

    @Column(name = "agreement_file", length = 255)
    private String agreementFile;

    @Column(name = "agreement_sha256", length = 64)
    private String agreementSha256;

    protected BusinessAssociate() {
    }

    public BusinessAssociate(VendorSpec spec) {
        this.name = spec.name();
        replaceWith(spec);
    }

    /** Takes the desired state; the name, the business key, never changes. */
    public void replaceWith(VendorSpec spec) {
        if (!name.equals(spec.name())) {
            throw new IllegalArgumentException("vendor " + name + " cannot become " + spec.name());
        }
        this.legalName = spec.legalName();
        this.contact = spec.contact();
        this.status = spec.status().slug();
        this.effectiveAt = spec.effective();
        this.expiresAt = spec.expires();
        this.scopeRoutes = join(spec.scope().routes());
        this.scopeResourceTypes = join(spec.scope().resourceTypes());
        this.agreementFile = spec.agreement().map(VendorSpec.Agreement::file).orElse(null);
        this.agreementSha256 = spec.agreement().map(VendorSpec.Agreement::sha256).orElse(null);
    }

    public VendorSpec toSpec() {
        Optional<VendorSpec.Agreement> agreement = agreementFile == null ? Optional.empty()
                : Optional.of(new VendorSpec.Agreement(agreementFile, agreementSha256));
        return new VendorSpec(name, legalName, contact, VendorSpec.Status.valueOf(status.toUpperCase(Locale.ROOT)), effectiveAt, expiresAt,
                new PhiScope(split(scopeRoutes), split(scopeResourceTypes)), agreement);
    }

    public String name() {
        return name;
    }

    private static String join(Collection<String> items) {
        return items.isEmpty() ? null : String.join(",", new TreeSet<>(items));
    }

    private static Set<String> split(String column) {
        return column == null || column.isEmpty() ? Set.of() : Arrays.stream(column.split(",")).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessAssociate other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "BusinessAssociate[" + name + ", " + status + " until " + expiresAt + "]";
    }
}
