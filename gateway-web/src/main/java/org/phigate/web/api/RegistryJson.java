// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.policy.AccessPolicy;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

/**
 * The registry in the shape of the configuration file, so that what the admin API answers can be edited and sent
 * back as it is (to {@code PUT /api/configuration} or to the item's own {@code PUT}).
 */
final class RegistryJson {

    private RegistryJson() {
    }

    static Map<String, Object> document(RouteTable table) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("identities", identities(table));
        document.put("pools", pools(table));
        document.put("routes", routes(table));
        return document;
    }

    static Map<String, Object> identities(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.identities().values().forEach(i -> items.put(i.name(), identity(i)));
        return items;
    }

    static Map<String, Object> pools(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.pools().values().forEach(p -> items.put(p.name(), pool(p)));
        return items;
    }

    static Map<String, Object> routes(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.routes().forEach(r -> items.put(r.name(), route(r)));
        return items;
    }

    static Map<String, Object> identity(ServiceIdentitySpec identity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", identity.fingerprint());
        m.put("enabled", identity.enabled());
        m.put("description", identity.description());
        return m;
    }

    static Map<String, Object> pool(PoolSpec pool) {
        return Map.of("backends", pool.backends().stream().map(Object::toString).toList());
    }

    static Map<String, Object> route(RouteSpec r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", r.prefix());
        m.put("pool", r.pool());
        m.put("backendPath", r.backendPath());
        m.put("methods", List.copyOf(new TreeSet<>(r.methods())));
        m.put("phi", r.carriesPhi());
        m.put("connectTimeout", millis(r.connectTimeout()));
        m.put("requestTimeout", millis(r.requestTimeout()));
        r.policy().ifPresent(p -> m.put("policy", policy(p)));
        return m;
    }

    static Map<String, Object> policy(AccessPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roles", List.copyOf(new TreeSet<>(p.roles())));
        m.put("clients", List.copyOf(new TreeSet<>(p.clients())));
        m.put("identities", List.copyOf(new TreeSet<>(p.identities())));
        m.put("sources", p.sources().stream().map(Object::toString).toList());
        m.put("smart", p.smart());
        m.put("breakGlass", p.breakGlass());
        return m;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
