// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.policy.AccessPolicy;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.waf.control.WafPolicy;
import org.phigate.route.control.RouteTable;
import org.phigate.vendor.control.VendorSpec;

/**
 * The registry in the shape of the configuration file, so that what the admin API answers can be edited and sent
 * back as it is (to {@code PUT /api/configuration} or to the item's own {@code PUT}), and in which the audit trail
 * keeps an admin change's before and after.
 */
public final class RegistryDocument {

    /** Created on first use: the JSON-B provider is the server's, and the pure parts of this class do not need it. */
    private static final class Json {
        static final Jsonb JSONB = JsonbBuilder.create();
    }

    private RegistryDocument() {
    }

    /** A document or item as JSON text; null stays null (an item that did not exist). */
    public static String json(Object document) {
        return document == null ? null : Json.JSONB.toJson(document);
    }

    /** The items a desired state names, as the table holds them (absent where it does not): a change's before or after. */
    public static Map<String, Object> named(RouteTable table, DesiredState desired) {
        Map<String, Object> document = new LinkedHashMap<>();
        section(document, "identities", desired.identities().stream().map(i -> i.name()).toList(), table);
        section(document, "pools", desired.pools().stream().map(p -> p.name()).toList(), table);
        section(document, "routes", desired.routes().stream().map(r -> r.name()).toList(), table);
        section(document, "vendors", desired.vendors().stream().map(v -> v.name()).toList(), table);
        return document;
    }

    private static void section(Map<String, Object> document, String section, List<String> names, RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        names.forEach(name -> item(table, section, name).ifPresent(item -> items.put(name, item)));
        if (!items.isEmpty()) {
            document.put(section, items);
        }
    }

    /** How a change of {@code desired} is named in the audit trail: "routes.labs" for one item, else "configuration". */
    public static String label(DesiredState desired) {
        List<String> names = new java.util.ArrayList<>();
        desired.identities().forEach(i -> names.add("identities." + i.name()));
        desired.pools().forEach(p -> names.add("pools." + p.name()));
        desired.routes().forEach(r -> names.add("routes." + r.name()));
        desired.vendors().forEach(v -> names.add("vendors." + v.name()));
        return names.size() == 1 ? names.get(0) : "configuration";
    }

    public static Map<String, Object> document(RouteTable table) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("identities", identities(table));
        document.put("pools", pools(table));
        document.put("routes", routes(table));
        document.put("vendors", vendors(table));
        return document;
    }

    /** One item of a section ("pools", "routes", "identities", "vendors"), if the table has it. */
    public static java.util.Optional<Object> item(RouteTable table, String section, String name) {
        return switch (section) {
            case "pools" -> java.util.Optional.ofNullable(table.pools().get(name)).map(RegistryDocument::pool);
            case "routes" -> table.routes().stream().filter(r -> r.name().equals(name)).findFirst().map(RegistryDocument::route);
            case "vendors" -> java.util.Optional.ofNullable(table.vendors().get(name)).map(RegistryDocument::vendor);
            default -> java.util.Optional.ofNullable(table.identities().get(name)).map(RegistryDocument::identity);
        };
    }

    public static Map<String, Object> identities(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.identities().values().forEach(i -> items.put(i.name(), identity(i)));
        return items;
    }

    public static Map<String, Object> pools(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.pools().values().forEach(p -> items.put(p.name(), pool(p)));
        return items;
    }

    public static Map<String, Object> routes(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.routes().forEach(r -> items.put(r.name(), route(r)));
        return items;
    }

    public static Map<String, Object> vendors(RouteTable table) {
        Map<String, Object> items = new TreeMap<>();
        table.vendors().values().forEach(v -> items.put(v.name(), vendor(v)));
        return items;
    }

    public static Map<String, Object> vendor(VendorSpec v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("legalName", v.legalName());
        m.put("contact", v.contact());
        m.put("status", v.status().slug());
        m.put("effective", v.effective().toString());
        m.put("expires", v.expires().toString());
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("routes", List.copyOf(new TreeSet<>(v.scope().routes())));
        scope.put("resourceTypes", List.copyOf(new TreeSet<>(v.scope().resourceTypes())));
        m.put("phiScope", scope);
        v.agreement().ifPresent(a -> {
            Map<String, Object> agreement = new LinkedHashMap<>();
            agreement.put("file", a.file());
            agreement.put("sha256", a.sha256());
            m.put("agreement", agreement);
        });
        return m;
    }

    public static Map<String, Object> identity(ServiceIdentitySpec identity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", identity.fingerprint());
        m.put("enabled", identity.enabled());
        m.put("description", identity.description());
        return m;
    }

    /** A backend with every default is its URI alone, as operators write it; any other is a mapping. */
    public static Map<String, Object> pool(PoolSpec pool) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backends", pool.backends().stream().map(b -> b.hasDefaults() ? (Object) b.uri().toString() : backend(b)).toList());
        PoolPolicy p = pool.policy();
        m.put("balancing", p.balancing().text);
        m.put("maxConcurrent", p.maxConcurrent());
        p.healthCheck().ifPresent(h -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("path", h.path());
            check.put("interval", millis(h.interval()));
            check.put("timeout", millis(h.timeout()));
            check.put("healthyThreshold", h.healthyThreshold());
            check.put("unhealthyThreshold", h.unhealthyThreshold());
            m.put("healthCheck", check);
        });
        Map<String, Object> ejection = new LinkedHashMap<>();
        ejection.put("consecutiveFailures", p.ejection().consecutiveFailures());
        ejection.put("baseTime", millis(p.ejection().base()));
        ejection.put("maxTime", millis(p.ejection().max()));
        m.put("ejection", ejection);
        m.put("slowStart", millis(p.slowStart()));
        m.put("retryBudgetPercent", p.retryBudgetPercent());
        pool.vendor().ifPresent(v -> m.put("vendor", v));
        if (!pool.tls().serverDefault()) {
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("trust", pool.tls().trust());
            pool.tls().clientCertificate().ifPresent(c -> tls.put("clientCertificate", c));
            m.put("tls", tls);
        }
        return m;
    }

    private static Map<String, Object> backend(BackendSpec b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", b.uri().toString());
        m.put("weight", b.weight());
        m.put("maxConcurrent", b.maxConcurrent());
        m.put("draining", b.draining());
        return m;
    }

    public static Map<String, Object> route(RouteSpec r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", r.prefix());
        m.put("pool", r.pool());
        m.put("backendPath", r.backendPath());
        m.put("methods", List.copyOf(new TreeSet<>(r.methods())));
        m.put("phi", r.carriesPhi());
        m.put("connectTimeout", millis(r.connectTimeout()));
        m.put("requestTimeout", millis(r.requestTimeout()));
        r.policy().ifPresent(p -> m.put("policy", policy(p)));
        m.put("auditParameters", List.copyOf(new TreeSet<>(r.auditParameters())));
        m.put("waf", waf(r.waf()));
        r.vendor().ifPresent(v -> m.put("vendor", v));
        return m;
    }

    public static Map<String, Object> waf(WafPolicy w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", w.mode().slug());
        m.put("profile", w.profile().slug());
        m.put("bodyLimit", w.bodyLimit());
        m.put("oversizedBody", w.passOversized() ? "pass" : "refuse");
        m.put("exclusions", w.exclusions().stream().map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("rule", e.rule());
            if (!e.target().isEmpty()) {
                x.put("target", e.target());
            }
            return x;
        }).toList());
        return m;
    }

    public static Map<String, Object> policy(AccessPolicy p) {
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
