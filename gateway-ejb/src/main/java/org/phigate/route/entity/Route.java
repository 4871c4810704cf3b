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
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.Cidr;
import org.phigate.route.control.RouteSpec;
import org.phigate.vendor.entity.BusinessAssociate;
import org.phigate.waf.control.WafPolicy;

/** A path prefix mapped to a backend pool. Carries PHI unless said otherwise: the safe default. */
@Entity
@Table(name = "route")
@NamedQuery(name = Route.FIND_ALL, query = "SELECT r FROM Route r JOIN FETCH r.pool ORDER BY r.name")
@NamedQuery(name = Route.FIND_BY_NAME, query = "SELECT r FROM Route r WHERE r.name = :name")
public class Route {

    public static final String FIND_ALL = "Route.findAll";
    public static final String FIND_BY_NAME = "Route.findByName";
    private static final String ANY_METHOD = "*";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(name = "path_prefix", nullable = false, length = 512)
    private String pathPrefix;

    @Column(nullable = false, length = 256)
    private String methods;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "pool_id", nullable = false)
    private BackendPool pool;

    @Column(name = "backend_path", nullable = false, length = 1024)
    private String backendPath;

    @Column(name = "carries_phi", nullable = false)
    private boolean carriesPhi;

    @Column(name = "connect_timeout_ms", nullable = false)
    private int connectTimeoutMs;

    @Column(name = "request_timeout_ms", nullable = false)
    private int requestTimeoutMs;

    @Column(name = "policy_roles", length = 1024)
    private String policyRoles;

    @Column(name = "policy_clients", length = 1024)
    private String policyClients;

    @Column(name = "policy_identities", length = 1024)
    private String policyIdentities;

    @Column(name = "policy_sources", length = 2048)
    private String policySources;

    @Column(name = "policy_smart", nullable = false)
    private boolean policySmart;

    @Column(name = "policy_break_glass", nullable = false)
    private boolean policyBreakGlass;

    @Column(name = "audit_parameters", length = 1024)
    private String auditParameters;

    @Column(name = "waf_mode", nullable = false, length = 8)
    private String wafMode;

    @Column(name = "waf_profile", nullable = false, length = 8)
    private String wafProfile;

    @Column(name = "waf_body_limit", nullable = false)
    private long wafBodyLimit;

    @Column(name = "waf_pass_oversized", nullable = false)
    private boolean wafPassOversized;

    @ManyToOne(fetch = FetchType.EAGER)
    @JoinColumn(name = "vendor_id")
    private BusinessAssociate vendor;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "route_waf_exclusion", joinColumns = @JoinColumn(name = "route_id"))
    @OrderColumn(name = "exclusion_index")
    private List<WafExclusion> wafExclusions = new ArrayList<>();

    protected Route() {
    }

    public Route(RouteSpec spec, BackendPool pool, Optional<BusinessAssociate> vendor) {
        this.name = spec.name();
        replaceWith(spec, pool, vendor);
    }

    public void replaceWith(RouteSpec spec, BackendPool pool, Optional<BusinessAssociate> vendor) {
        if (!name.equals(spec.name())) {
            throw new IllegalArgumentException("route " + name + " cannot become " + spec.name());
        }
        if (!pool.name().equals(spec.pool())) {
            throw new IllegalArgumentException("route " + name + " names pool " + spec.pool() + ", not " + pool.name());
        }
        if (!spec.vendor().equals(vendor.map(BusinessAssociate::name))) {
            throw new IllegalArgumentException("route " + name + " names vendor " + spec.vendor() + ", not " + vendor.map(BusinessAssociate::name));
        }
        this.vendor = vendor.orElse(null);
        this.pathPrefix = spec.prefix();
        this.methods = spec.methods().isEmpty() ? ANY_METHOD : String.join(",", new TreeSet<>(spec.methods()));
        this.pool = pool;
        this.backendPath = spec.backendPath();
        this.carriesPhi = spec.carriesPhi();
        this.connectTimeoutMs = Math.toIntExact(spec.connectTimeout().toMillis());
        this.requestTimeoutMs = Math.toIntExact(spec.requestTimeout().toMillis());
        this.policyRoles = spec.policy().map(p -> join(p.roles())).orElse(null);
        this.policyClients = spec.policy().map(p -> join(p.clients())).orElse(null);
        this.policyIdentities = spec.policy().map(p -> join(p.identities())).orElse(null);
        this.policySources = spec.policy().map(p -> join(p.sources().stream().map(Cidr::toString).toList())).orElse(null);
        this.policySmart = spec.policy().map(AccessPolicy::smart).orElse(false);
        this.policyBreakGlass = spec.policy().map(AccessPolicy::breakGlass).orElse(false);
        this.auditParameters = spec.auditParameters().isEmpty() ? null : join(spec.auditParameters());
        this.wafMode = spec.waf().mode().slug();
        this.wafProfile = spec.waf().profile().slug();
        this.wafBodyLimit = spec.waf().bodyLimit();
        this.wafPassOversized = spec.waf().passOversized();
        this.wafExclusions.clear();
        spec.waf().exclusions().forEach(e -> wafExclusions.add(new WafExclusion(e)));
    }

    private WafPolicy waf() {
        return new WafPolicy(WafPolicy.Mode.valueOf(wafMode.toUpperCase(java.util.Locale.ROOT)),
                WafPolicy.Profile.valueOf(wafProfile.toUpperCase(java.util.Locale.ROOT)), wafBodyLimit, wafPassOversized,
                wafExclusions.stream().map(WafExclusion::toSpec).toList());
    }

    private static String join(java.util.Collection<String> items) {
        return String.join(",", new TreeSet<>(items));
    }

    private static Set<String> split(String column) {
        return column == null || column.isEmpty() ? Set.of()
                : Arrays.stream(column.split(",")).collect(Collectors.toUnmodifiableSet());
    }

    private Optional<AccessPolicy> policy() {
        if (policyRoles == null && policyClients == null && policyIdentities == null) {
            return Optional.empty();
        }
        return Optional.of(new AccessPolicy(split(policyRoles), split(policyClients), split(policyIdentities),
                split(policySources).stream().sorted().map(Cidr::parse).toList(), policySmart, policyBreakGlass));
    }

    public RouteSpec toSpec() {
        Set<String> methodSet = ANY_METHOD.equals(methods) ? Set.of()
                : Arrays.stream(methods.split(",")).collect(Collectors.toUnmodifiableSet());
        return new RouteSpec(name, pathPrefix, methodSet, pool.name(), backendPath, carriesPhi,
                Duration.ofMillis(connectTimeoutMs), Duration.ofMillis(requestTimeoutMs), policy(), split(auditParameters), waf(),
                Optional.ofNullable(vendor).map(BusinessAssociate::name));
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return "Route[" + name + " " + pathPrefix + " -> " + pool.name() + "]";
    }
}
