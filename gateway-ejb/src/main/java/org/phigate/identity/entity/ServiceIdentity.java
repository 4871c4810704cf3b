// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.Objects;
import org.phigate.identity.ServiceIdentitySpec;

/** A registered service identity: a name for the system behind one client certificate. */
@Entity
@Table(name = "service_identity")
@NamedQuery(name = ServiceIdentity.FIND_ALL, query = "SELECT i FROM ServiceIdentity i ORDER BY i.name")
@NamedQuery(name = ServiceIdentity.FIND_BY_NAME, query = "SELECT i FROM ServiceIdentity i WHERE i.name = :name")
public class ServiceIdentity {

    public static final String FIND_ALL = "ServiceIdentity.findAll";
    public static final String FIND_BY_NAME = "ServiceIdentity.findByName";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(nullable = false, unique = true, length = 64)
    private String fingerprint;

    @Column(nullable = false)
    private boolean enabled;

    @Column(nullable = false, length = 500)
    private String description;

    protected ServiceIdentity() {
    }

    public ServiceIdentity(ServiceIdentitySpec spec) {
        this.name = spec.name();
        replaceWith(spec);
    }

    /** Takes the desired state; the name, the business key, never changes. */
    public void replaceWith(ServiceIdentitySpec spec) {
        if (!name.equals(spec.name())) {
            throw new IllegalArgumentException("service identity " + name + " cannot become " + spec.name());
        }
        this.fingerprint = spec.fingerprint();
        this.enabled = spec.enabled();
        this.description = spec.description();
    }

    public ServiceIdentitySpec toSpec() {
        return new ServiceIdentitySpec(name, fingerprint, enabled, description);
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceIdentity other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "ServiceIdentity[" + name + (enabled ? "" : ", disabled") + "]";
    }
}
