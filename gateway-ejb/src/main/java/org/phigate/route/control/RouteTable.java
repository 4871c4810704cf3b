// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.vendor.control.VendorSpec;

/**
 * The immutable snapshot of routes, pools, service identities and business associates that the data plane matches
 * against. Identities and vendors travel in the same snapshot as the routes that name them, so a change to both
 * applies at once, and a matched route carries its vendor from the same snapshot.
 * A new table is built after every committed change and swapped in whole, so a request sees
 * either the old configuration or the new one, never a half-applied mix, and never waits on the database.
 * Matching: the longest path prefix wins, then the method decides among the routes of that prefix.
 */
public final class RouteTable {

    private static final RouteTable EMPTY = new RouteTable(0, List.of(), List.of());

    private final long generation;
    private final List<RouteSpec> longestPrefixFirst;
    private final Map<String, PoolSpec> pools;
    private final Map<String, ServiceIdentitySpec> identities;
    private final Map<String, ServiceIdentitySpec> identitiesByFingerprint;
    private final Map<String, VendorSpec> vendors;
    /** Route name to the vendor it is linked to, directly or through its pool. */
    private final Map<String, VendorSpec> vendorOfRoute;

    public RouteTable(long generation, List<RouteSpec> routes, List<PoolSpec> pools) {
        this(generation, routes, pools, List.of());
    }

    public RouteTable(long generation, List<RouteSpec> routes, List<PoolSpec> pools, List<ServiceIdentitySpec> identities) {
        this(generation, routes, pools, identities, List.of());
    }

    public RouteTable(long generation, List<RouteSpec> routes, List<PoolSpec> pools, List<ServiceIdentitySpec> identities,
                      List<VendorSpec> vendors) {
        this.generation = generation;
        this.vendors = vendors.stream().collect(Collectors.toUnmodifiableMap(VendorSpec::name, Function.identity()));
        this.identities = identities.stream().collect(Collectors.toUnmodifiableMap(ServiceIdentitySpec::name, Function.identity()));
        this.identitiesByFingerprint = identities.stream()
                .collect(Collectors.toUnmodifiableMap(ServiceIdentitySpec::fingerprint, Function.identity()));
        this.pools = pools.stream().collect(Collectors.toUnmodifiableMap(PoolSpec::name, Function.identity()));
        for (RouteSpec route : routes) {
            if (!this.pools.containsKey(route.pool())) {
                throw new IllegalArgumentException("route " + route.name() + " names unknown pool " + route.pool());
            }
            route.policy().stream().flatMap(p -> p.identities().stream()).filter(i -> !this.identities.containsKey(i)).findFirst()
                    .ifPresent(i -> {
                        throw new IllegalArgumentException("route " + route.name() + " names unknown service identity " + i);
                    });
        }
        this.vendorOfRoute = vendorLinks(routes, this.pools, this.vendors);
        this.longestPrefixFirst = routes.stream()
                .sorted(Comparator.comparingInt((RouteSpec r) -> r.prefix().length()).reversed()
                        .thenComparing(RouteSpec::name))
                .toList();
    }

    private static Map<String, VendorSpec> vendorLinks(List<RouteSpec> routes, Map<String, PoolSpec> pools, Map<String, VendorSpec> vendors) {
        Map<String, VendorSpec> links = new java.util.HashMap<>();
        for (PoolSpec pool : pools.values()) {
            pool.vendor().filter(v -> !vendors.containsKey(v)).ifPresent(v -> {
                throw new IllegalArgumentException("pool " + pool.name() + " names unknown vendor " + v);
            });
        }
        for (RouteSpec route : routes) {
            Optional<String> ofPool = pools.get(route.pool()).vendor();
            route.vendor().filter(v -> !vendors.containsKey(v)).ifPresent(v -> {
                throw new IllegalArgumentException("route " + route.name() + " names unknown vendor " + v);
            });
            if (route.vendor().isPresent() && ofPool.isPresent() && !route.vendor().equals(ofPool)) {
                throw new IllegalArgumentException("route " + route.name() + " names vendor " + route.vendor().get()
                        + " but its pool belongs to " + ofPool.get());
            }
            route.vendor().or(() -> ofPool).ifPresent(v -> links.put(route.name(), vendors.get(v)));
        }
        return Map.copyOf(links);
    }

    public static RouteTable empty() {
        return EMPTY;
    }

    /** @param path the decoded, canonical request path */
    public RouteMatch match(String path, String method) {
        Objects.requireNonNull(path, "path");
        RouteSpec refusing = null;
        for (RouteSpec route : longestPrefixFirst) {
            if (refusing != null && route.prefix().length() < refusing.prefix().length()) {
                break;
            }
            if (!route.covers(path)) {
                continue;
            }
            if (route.allows(method)) {
                String remainder = path.length() >= route.prefix().length() ? path.substring(route.prefix().length()) : "";
                return new RouteMatch.Matched(route, remainder, Optional.ofNullable(vendorOfRoute.get(route.name())));
            }
            refusing = route;
        }
        return refusing == null ? RouteMatch.NO_ROUTE : new RouteMatch.MethodNotAllowed(refusing, allowedAt(refusing.prefix()));
    }

    private java.util.Set<String> allowedAt(String prefix) {
        return longestPrefixFirst.stream().filter(r -> r.prefix().equals(prefix))
                .flatMap(r -> r.methods().stream()).collect(Collectors.toUnmodifiableSet());
    }

    public long generation() {
        return generation;
    }

    public List<RouteSpec> routes() {
        return longestPrefixFirst;
    }

    public Map<String, PoolSpec> pools() {
        return pools;
    }

    /** Service identities by name. */
    public Map<String, ServiceIdentitySpec> identities() {
        return identities;
    }

    /** The identity registered for a client certificate, enabled or not. */
    public Optional<ServiceIdentitySpec> identityWithFingerprint(String fingerprint) {
        return Optional.ofNullable(identitiesByFingerprint.get(fingerprint));
    }

    /** Business associates by name. */
    public Map<String, VendorSpec> vendors() {
        return vendors;
    }

    /** The vendor a route is linked to, directly or through its pool. */
    public Optional<VendorSpec> vendorOf(String route) {
        return Optional.ofNullable(vendorOfRoute.get(route));
    }

    public PoolSpec pool(String name) {
        PoolSpec pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("unknown pool " + name);
        }
        return pool;
    }
}
