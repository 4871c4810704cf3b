// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.phigate.route.control.PoolSpec;

/** A named group of backends that share the load of the routes pointing at it. */
@Entity
@Table(name = "backend_pool")
@NamedQuery(name = BackendPool.FIND_ALL, query = "SELECT p FROM BackendPool p ORDER BY p.name")
@NamedQuery(name = BackendPool.FIND_BY_NAME, query = "SELECT p FROM BackendPool p WHERE p.name = :name")
@SequenceGenerator(name = "phigate_id", sequenceName = "phigate_id_seq", allocationSize = 50)
public class BackendPool {

    public static final String FIND_ALL = "BackendPool.findAll";
    public static final String FIND_BY_NAME = "BackendPool.findByName";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "pool_backend", joinColumns = @JoinColumn(name = "pool_id"))
    @OrderColumn(name = "backend_index")
    @Column(name = "uri", nullable = false, length = 2048)
    private List<String> backends = new ArrayList<>();

    protected BackendPool() {
    }

    public BackendPool(PoolSpec spec) {
        this.name = spec.name();
        replaceWith(spec);
    }

    /** Takes the backends of the desired state; the name, the business key, never changes. */
    public void replaceWith(PoolSpec spec) {
        if (!name.equals(spec.name())) {
            throw new IllegalArgumentException("pool " + name + " cannot become " + spec.name());
        }
        backends.clear();
        spec.backends().forEach(uri -> backends.add(uri.toString()));
    }

    public PoolSpec toSpec() {
        return new PoolSpec(name, backends.stream().map(URI::create).toList());
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendPool other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "BackendPool[" + name + ", " + backends.size() + " backends]";
    }
}
