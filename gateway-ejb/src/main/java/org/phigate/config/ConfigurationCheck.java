// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

/**
 * The rules a configuration must satisfy as a whole, once laid over what the registry already holds:
 * every route names a pool that exists, no PHI route reaches a plain-http backend (164.312(e)(1)),
 * and no two routes claim the same prefix for the same method. Pure: it reads two snapshots, writes nothing.
 */
public final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** The table that would result from laying {@code desired} over {@code current}, if it passes every rule. */
    public static RouteTable merge(RouteTable current, DesiredState desired) {
        Map<String, PoolSpec> pools = new LinkedHashMap<>(current.pools());
        desired.pools().forEach(p -> pools.put(p.name(), p));
        Map<String, RouteSpec> routes = new LinkedHashMap<>();
        current.routes().forEach(r -> routes.put(r.name(), r));
        desired.routes().forEach(r -> routes.put(r.name(), r));

        List<ConfigProblem> problems = new ArrayList<>();
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
        }
        problems.addAll(overlaps(desired, routes.values()));
        if (!problems.isEmpty()) {
            throw new ConfigurationRejected(problems);
        }
        return new RouteTable(current.generation() + 1, List.copyOf(routes.values()), List.copyOf(pools.values()));
    }

    private static List<ConfigProblem> overlaps(DesiredState desired, java.util.Collection<RouteSpec> routes) {
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
