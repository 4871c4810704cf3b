// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;
import org.phigate.vendor.control.VendorSpec;

/**
 * The rules a configuration must satisfy as a whole, once laid over what the registry already holds:
 * every route names a pool that exists, no PHI route reaches a plain-http backend (164.312(e)(1)),
 * every service identity a policy admits exists, every vendor a route or pool names exists (and a route does not name
 * another vendor than its pool's), no two routes claim the same prefix for the same method,
 * and no two identities share a certificate. Removals are refused while something still names what goes. Pure: it reads two snapshots, writes nothing.
 */
public final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** The table that would result from laying {@code desired} over {@code current}, with an empty certificate inventory. */
    public static RouteTable merge(RouteTable current, DesiredState desired) {
        return merge(current, desired, Map.of());
    }

    /**
     * The table that would result from laying {@code desired} over {@code current}, if it passes every rule.
     *
     * @param inventory the certificate inventory, name to purpose: what pools may name in their {@code tls}
     */
    public static RouteTable merge(RouteTable current, DesiredState desired, Map<String, CertificatePurpose> inventory) {
        Map<String, PoolSpec> pools = new LinkedHashMap<>(current.pools());
        desired.pools().forEach(p -> pools.put(p.name(), p));
        Map<String, RouteSpec> routes = new LinkedHashMap<>();
        current.routes().forEach(r -> routes.put(r.name(), r));
        desired.routes().forEach(r -> routes.put(r.name(), r));
        Map<String, ServiceIdentitySpec> identities = new LinkedHashMap<>(current.identities());
        desired.identities().forEach(i -> identities.put(i.name(), i));
        Map<String, VendorSpec> vendors = new LinkedHashMap<>(current.vendors());
        desired.vendors().forEach(v -> vendors.put(v.name(), v));

        List<ConfigProblem> problems = new ArrayList<>();
        for (PoolSpec pool : pools.values()) {
            problems.addAll(certificates(desired, pool, inventory));
            pool.vendor().filter(v -> !vendors.containsKey(v)).ifPresent(v -> problems.add(desired.problem(ConfigProblem.UNKNOWN_VENDOR,
                    "pools." + pool.name() + ".vendor", "pool " + pool.name() + " names vendor '" + v + "', which is neither in this file nor in the registry")));
        }
        for (RouteSpec route : routes.values()) {
            String field = fieldOf(route);
            PoolSpec pool = pools.get(route.pool());
            if (pool == null) {
                problems.add(desired.problem(ConfigProblem.UNKNOWN_POOL, field + ".pool",
                        "route " + route.name() + " names pool '" + route.pool() + "', which is neither in this file nor in the registry"));
            } else if (route.carriesPhi() && pool.hasPlainHttpBackend()) {
                problems.add(desired.problem(ConfigProblem.PHI_OVER_PLAIN_HTTP, field,
                        "route " + route.name() + " carries PHI but pool " + pool.name()
                                + " has a plain http:// backend; use https:// or mark the route phi: false"));
            }
            route.vendor().filter(v -> !vendors.containsKey(v)).ifPresent(v -> problems.add(desired.problem(ConfigProblem.UNKNOWN_VENDOR,
                    field + ".vendor", "route " + route.name() + " names vendor '" + v + "', which is neither in this file nor in the registry")));
            if (pool != null && route.vendor().isPresent() && pool.vendor().isPresent() && !route.vendor().equals(pool.vendor())) {
                problems.add(desired.problem(ConfigProblem.CONFLICT, field + ".vendor", "route " + route.name() + " names vendor "
                        + route.vendor().get() + " but its pool " + pool.name() + " belongs to vendor " + pool.vendor().get()));
            }
            route.policy().stream().flatMap(p -> p.identities().stream()).filter(i -> !identities.containsKey(i)).forEach(i ->
                    problems.add(desired.problem(ConfigProblem.UNKNOWN_IDENTITY, field + ".policy.identities",
                            "route " + route.name() + " admits service identity '" + i + "', which is neither in this file nor in the registry")));
        }
        problems.addAll(overlaps(desired, routes.values()));
        problems.addAll(sharedFingerprints(desired, identities.values()));
        if (!problems.isEmpty()) {
            throw new ConfigurationRejected(problems);
        }
        return new RouteTable(current.generation() + 1, List.copyOf(routes.values()), List.copyOf(pools.values()),
                List.copyOf(identities.values()), List.copyOf(vendors.values()));
    }

    /** The table without one route. */
    public static RouteTable withoutRoute(RouteTable current, String name) {
        return new RouteTable(current.generation() + 1, current.routes().stream().filter(r -> !r.name().equals(name)).toList(),
                List.copyOf(current.pools().values()), List.copyOf(current.identities().values()), List.copyOf(current.vendors().values()));
    }

    /** The table without one pool. @throws ConfigurationRejected while a route still sends to it */
    public static RouteTable withoutPool(RouteTable current, String name) {
        List<String> users = current.routes().stream().filter(r -> r.pool().equals(name)).map(RouteSpec::name).sorted().toList();
        if (!users.isEmpty()) {
            throw new ConfigurationRejected(List.of(new ConfigProblem(ConfigProblem.IN_USE, "registry", 0, "pools." + name,
                    "pool " + name + " is used by routes " + users + "; point them elsewhere or remove them first")));
        }
        return new RouteTable(current.generation() + 1, current.routes(),
                current.pools().values().stream().filter(p -> !p.name().equals(name)).toList(), List.copyOf(current.identities().values()),
                List.copyOf(current.vendors().values()));
    }

    /** The table without one service identity. @throws ConfigurationRejected while a policy still admits it */
    public static RouteTable withoutIdentity(RouteTable current, String name) {
        List<String> users = current.routes().stream()
                .filter(r -> r.policy().map(p -> p.identities().contains(name)).orElse(false)).map(RouteSpec::name).sorted().toList();
        if (!users.isEmpty()) {
            throw new ConfigurationRejected(List.of(new ConfigProblem(ConfigProblem.IN_USE, "registry", 0, "identities." + name,
                    "service identity " + name + " is admitted by the policies of routes " + users
                            + "; change those policies first, or disable the identity instead")));
        }
        return new RouteTable(current.generation() + 1, current.routes(), List.copyOf(current.pools().values()),
                current.identities().values().stream().filter(i -> !i.name().equals(name)).toList(), List.copyOf(current.vendors().values()));
    }

    /** The table without one business associate. @throws ConfigurationRejected while a route or pool is linked to it */
    public static RouteTable withoutVendor(RouteTable current, String name) {
        List<String> users = new ArrayList<>();
        current.pools().values().stream().filter(p -> p.vendor().equals(java.util.Optional.of(name))).forEach(p -> users.add("pool " + p.name()));
        current.routes().stream().filter(r -> r.vendor().equals(java.util.Optional.of(name))).forEach(r -> users.add("route " + r.name()));
        if (!users.isEmpty()) {
            throw new ConfigurationRejected(List.of(new ConfigProblem(ConfigProblem.IN_USE, "registry", 0, "vendors." + name,
                    "vendor " + name + " is linked to " + users.stream().sorted().toList()
                            + "; unlink them first, or terminate the agreement (status: terminated) to stop PHI at once")));
        }
        return new RouteTable(current.generation() + 1, current.routes(), List.copyOf(current.pools().values()),
                List.copyOf(current.identities().values()), current.vendors().values().stream().filter(v -> !v.name().equals(name)).toList());
    }

    private static List<ConfigProblem> certificates(DesiredState desired, PoolSpec pool, Map<String, CertificatePurpose> inventory) {
        List<ConfigProblem> problems = new ArrayList<>();
        String field = "pools." + pool.name() + ".tls";
        pool.tls().trust().stream().filter(name -> inventory.get(name) != CertificatePurpose.TRUST).forEach(name -> problems.add(
                desired.problem(ConfigProblem.UNKNOWN_CERTIFICATE, field + ".trust", "pool " + pool.name() + " trusts '" + name
                        + "', which is not a trust certificate of the inventory (GET /api/certificates)")));
        pool.tls().clientCertificate().filter(name -> inventory.get(name) != CertificatePurpose.CLIENT).ifPresent(name -> problems.add(
                desired.problem(ConfigProblem.UNKNOWN_CERTIFICATE, field + ".clientCertificate", "pool " + pool.name() + " presents '" + name
                        + "', which is not a client certificate of the inventory (GET /api/certificates)")));
        return problems;
    }

    private static List<ConfigProblem> sharedFingerprints(DesiredState desired, Collection<ServiceIdentitySpec> identities) {
        Map<String, List<String>> byFingerprint = identities.stream().collect(Collectors.groupingBy(ServiceIdentitySpec::fingerprint,
                Collectors.mapping(ServiceIdentitySpec::name, Collectors.toList())));
        return byFingerprint.values().stream().filter(names -> names.size() > 1).map(names -> {
            String named = names.stream().filter(n -> desired.lines().containsKey("identities." + n)).findFirst().orElse(names.get(0));
            return desired.problem(ConfigProblem.CONFLICT, "identities." + named + ".fingerprint",
                    "service identities " + names.stream().sorted().toList() + " have the same certificate fingerprint");
        }).toList();
    }

    private static List<ConfigProblem> overlaps(DesiredState desired, Collection<RouteSpec> routes) {
        Map<String, List<RouteSpec>> byPrefix = routes.stream().collect(Collectors.groupingBy(RouteSpec::prefix));
        List<ConfigProblem> problems = new ArrayList<>();
        for (List<RouteSpec> same : byPrefix.values()) {
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    RouteSpec a = same.get(i);
                    RouteSpec b = same.get(j);
                    if (overlap(a.methods(), b.methods())) {
                        RouteSpec named = desired.lines().containsKey("routes." + b.name()) ? b : a;
                        RouteSpec other = named == b ? a : b;
                        problems.add(desired.problem(ConfigProblem.CONFLICT, fieldOf(named) + ".prefix",
                                "routes " + named.name() + " and " + other.name() + " both claim " + a.prefix()
                                        + " for the same methods"));
                    }
                }
            }
        }
        return problems;
    }

    private static boolean overlap(Set<String> a, Set<String> b) {
        return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(b::contains);
    }

    private static String fieldOf(RouteSpec route) {
        return "routes." + route.name();
    }
}
