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
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.PoolTls;
import org.phigate.vendor.entity.BusinessAssociate;

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
    private List<PoolBackend> backends = new ArrayList<>();

    @Column(nullable = false, length = 24)
    private String balancing;

    @Column(name = "max_concurrent", nullable = false)
    private int maxConcurrent;

    @Column(name = "health_path", length = 512)
    private String healthPath;

    @Column(name = "health_interval_ms", nullable = false)
    private int healthIntervalMs;

    @Column(name = "health_timeout_ms", nullable = false)
    private int healthTimeoutMs;

    @Column(name = "healthy_threshold", nullable = false)
    private int healthyThreshold;

    @Column(name = "unhealthy_threshold", nullable = false)
    private int unhealthyThreshold;

    @Column(name = "eject_after", nullable = false)
    private int ejectAfter;

    @Column(name = "eject_base_ms", nullable = false)
    private int ejectBaseMs;

    @Column(name = "eject_max_ms", nullable = false)
    private int ejectMaxMs;

    @Column(name = "slow_start_ms", nullable = false)
    private int slowStartMs;

    @Column(name = "retry_budget_percent", nullable = false)
    private int retryBudgetPercent;

    @ManyToOne(fetch = FetchType.EAGER)
    @JoinColumn(name = "vendor_id")
    private BusinessAssociate vendor;

    @Column(name = "tls_trust", length = 1024)
    private String tlsTrust;

    @Column(name = "tls_client_certificate", length = 64)
    private String tlsClientCertificate;

    protected BackendPool() {
    }

    public BackendPool(PoolSpec spec, Optional<BusinessAssociate> vendor) {
        this.name = spec.name();
        replaceWith(spec, vendor);
    }

    /** Takes the backends of the desired state; the name, the business key, never changes. */
    public void replaceWith(PoolSpec spec, Optional<BusinessAssociate> vendor) {
        if (!name.equals(spec.name())) {
            throw new IllegalArgumentException("pool " + name + " cannot become " + spec.name());
        }
        if (!spec.vendor().equals(vendor.map(BusinessAssociate::name))) {
            throw new IllegalArgumentException("pool " + name + " names vendor " + spec.vendor() + ", not " + vendor.map(BusinessAssociate::name));
        }
        this.vendor = vendor.orElse(null);
        this.tlsTrust = spec.tls().trust().isEmpty() ? null : String.join(",", spec.tls().trust());
        this.tlsClientCertificate = spec.tls().clientCertificate().orElse(null);
        backends.clear();
        spec.backends().forEach(b -> backends.add(new PoolBackend(b)));
        PoolPolicy p = spec.policy();
        balancing = p.balancing().text;
        maxConcurrent = p.maxConcurrent();
        PoolPolicy.HealthCheck check = p.healthCheck().orElse(null);
        healthPath = check == null ? null : check.path();
        healthIntervalMs = millis(check == null ? PoolPolicy.HealthCheck.DEFAULT_INTERVAL : check.interval());
        healthTimeoutMs = millis(check == null ? PoolPolicy.HealthCheck.DEFAULT_TIMEOUT : check.timeout());
        healthyThreshold = check == null ? 2 : check.healthyThreshold();
        unhealthyThreshold = check == null ? 3 : check.unhealthyThreshold();
        ejectAfter = p.ejection().consecutiveFailures();
        ejectBaseMs = millis(p.ejection().base());
        ejectMaxMs = millis(p.ejection().max());
        slowStartMs = millis(p.slowStart());
        retryBudgetPercent = p.retryBudgetPercent();
    }

    private static int millis(Duration d) {
        return Math.toIntExact(d.toMillis());
    }

    public PoolSpec toSpec() {
        Optional<PoolPolicy.HealthCheck> check = healthPath == null ? Optional.empty() : Optional.of(new PoolPolicy.HealthCheck(
                healthPath, Duration.ofMillis(healthIntervalMs), Duration.ofMillis(healthTimeoutMs), healthyThreshold, unhealthyThreshold));
        PoolPolicy policy = new PoolPolicy(PoolPolicy.Balancing.of(balancing).orElse(PoolPolicy.Balancing.ROUND_ROBIN), maxConcurrent, check,
                new PoolPolicy.Ejection(ejectAfter, Duration.ofMillis(ejectBaseMs), Duration.ofMillis(ejectMaxMs)),
                Duration.ofMillis(slowStartMs), retryBudgetPercent);
        PoolTls tls = new PoolTls(tlsTrust == null ? List.of() : List.of(tlsTrust.split(",")), Optional.ofNullable(tlsClientCertificate));
        return new PoolSpec(name, backends.stream().map(PoolBackend::toSpec).toList(), policy,
                Optional.ofNullable(vendor).map(BusinessAssociate::name), tls);
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
