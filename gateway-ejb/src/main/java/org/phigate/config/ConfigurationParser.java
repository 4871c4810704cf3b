// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phigate.audit.control.AuditedParameters;
import org.phigate.certificate.control.CertificateSource;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.Cidr;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.PoolTls;
import org.phigate.route.control.RouteSpec;
import org.phigate.vendor.control.VendorSpec;
import org.phigate.waf.control.WafPolicy;
import org.phigate.waf.control.WafRules;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the YAML configuration into a {@link DesiredState}. Works on the node tree (not on maps) so that
 * every problem names its line, refuses unknown keys (a typo must not silently fall back to a default),
 * and collects every problem before giving up, so one run of the operator fixes them all.
 */
public final class ConfigurationParser {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");
    private static final Set<String> TOP_KEYS = Set.of("pools", "routes", "identities", "vendors", "certificates");
    private static final Set<String> IDENTITY_KEYS = Set.of("fingerprint", "enabled", "description");
    private static final int MAX_DESCRIPTION = 500;
    private static final Set<String> POOL_KEYS = Set.of("backends", "balancing", "maxConcurrent", "healthCheck", "ejection",
            "slowStart", "retryBudgetPercent", "vendor", "tls");
    private static final Set<String> POOL_TLS_KEYS = Set.of("trust", "clientCertificate");
    private static final Set<String> BACKEND_KEYS = Set.of("url", "weight", "maxConcurrent", "draining");
    private static final Set<String> HEALTH_CHECK_KEYS = Set.of("path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold");
    private static final Set<String> EJECTION_KEYS = Set.of("consecutiveFailures", "baseTime", "maxTime");
    private static final Set<String> ROUTE_KEYS = Set.of("prefix", "pool", "backendPath", "methods", "phi",
            "connectTimeout", "requestTimeout", "policy", "auditParameters", "waf", "vendor");
    private static final Set<String> WAF_KEYS = Set.of("mode", "profile", "bodyLimit", "oversizedBody", "exclusions");
    private static final Set<String> EXCLUSION_KEYS = Set.of("rule", "target");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})(B|KiB|MiB)?");
    private static final long MAX_BODY_LIMIT = 32L << 20;
    private static final Pattern EXCLUSION_TARGET =
            Pattern.compile("path|(query|header|cookie|form|multipart):[!-~]{1,96}|json:\\$[!-~]{1,200}|xml:/[!-~]{0,200}");
    private static final Set<String> POLICY_KEYS = Set.of("roles", "clients", "identities", "sources", "smart", "breakGlass");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final int MAX_FILE_CHARS = 1 << 20;

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();
    final Map<String, Integer> lines = new HashMap<>();

    private ConfigurationParser(String file) {
        this.file = file;
    }

    /** @throws ConfigurationRejected with every problem found */
    public static DesiredState parse(String file, String yaml) {
        return new ConfigurationParser(file).parse(yaml);
    }

    /** The sections of a configuration document, each a mapping of names to items. */
    public enum Section {
        POOLS("pools"), ROUTES("routes"), IDENTITIES("identities"), VENDORS("vendors");

        public final String key;

        Section(String key) {
            this.key = key;
        }
    }

    /**
     * Reads one item of a section (the admin API's {@code PUT /api/routes/NAME} and its siblings): the document is
     * what the section would hold under the name.
     *
     * @throws ConfigurationRejected with every problem found
     */
    public static DesiredState parseItem(Section section, String name, String document) {
        return new ConfigurationParser("request body").parseItem(section.key, name, document);
    }

    /**
     * Reads a route's policy alone, as the {@code policy} key of a route holds it.
     *
     * @throws ConfigurationRejected with every problem found
     */
    public static AccessPolicy parsePolicy(String route, String document) {
        ConfigurationParser parser = new ConfigurationParser("request body");
        Optional<AccessPolicy> policy = parser.compose(document).flatMap(node -> parser.policy(node, "routes." + route + ".policy"));
        if (!parser.problems.isEmpty() || policy.isEmpty()) {
            throw new ConfigurationRejected(parser.problems.isEmpty()
                    ? List.of(new ConfigProblem(ConfigProblem.INVALID_FIELD, "request body", 0, "routes." + route + ".policy", "is empty"))
                    : parser.problems);
        }
        return policy.get();
    }

    private DesiredState parseItem(String section, String name, String document) {
        List<PoolSpec> pools = new ArrayList<>();
        List<RouteSpec> routes = new ArrayList<>();
        List<ServiceIdentitySpec> identities = new ArrayList<>();
        List<VendorSpec> vendors = new ArrayList<>();
        Optional<Node> root = compose(document);
        if (root.isEmpty() && problems.isEmpty()) {
            problems.add(new ConfigProblem(ConfigProblem.INVALID_FIELD, file, 0, section + "." + name, "is empty"));
        }
        root.ifPresent(node -> {
            switch (section) {
                case "pools" -> pool(name, node).ifPresent(pools::add);
                case "routes" -> route(name, node).ifPresent(routes::add);
                case "vendors" -> new VendorSection(this).vendor(name, node).ifPresent(vendors::add);
                default -> identity(name, node).ifPresent(identities::add);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationRejected(problems);
        }
        return new DesiredState(file, pools, routes, identities, vendors, lines);
    }

    private DesiredState parse(String yaml) {
        Optional<Node> root = compose(yaml);
        List<PoolSpec> pools = new ArrayList<>();
        List<RouteSpec> routes = new ArrayList<>();
        List<ServiceIdentitySpec> identities = new ArrayList<>();
        List<VendorSpec> vendors = new ArrayList<>();
        List<CertificateSource> certificates = new ArrayList<>();
        root.ifPresent(node -> {
            Map<String, Node> top = mapping(node, "");
            top.forEach((key, value) -> {
                if (key.equals("pools")) {
                    mapping(value, "pools").forEach((name, pool) -> pool(name, pool).ifPresent(pools::add));
                } else if (key.equals("routes")) {
                    mapping(value, "routes").forEach((name, route) -> route(name, route).ifPresent(routes::add));
                } else if (key.equals("identities")) {
                    mapping(value, "identities").forEach((name, identity) -> identity(name, identity).ifPresent(identities::add));
                } else if (key.equals("vendors")) {
                    VendorSection section = new VendorSection(this);
                    mapping(value, "vendors").forEach((name, vendor) -> section.vendor(name, vendor).ifPresent(vendors::add));
                } else if (key.equals("certificates")) {
                    CertificateSection section = new CertificateSection(this, file);
                    mapping(value, "certificates").forEach((name, c) -> section.certificate(name, c).ifPresent(certificates::add));
                }
            });
            unknownKeys(node, top.keySet(), TOP_KEYS, "");
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationRejected(problems);
        }
        return new DesiredState(file, pools, routes, identities, vendors, certificates, lines);
    }

    private Optional<Node> compose(String yaml) {
        if (yaml.length() > MAX_FILE_CHARS) {
            problems.add(new ConfigProblem(ConfigProblem.UNREADABLE, file, 0, "", "larger than 1 MiB"));
            return Optional.empty();
        }
        try {
            return new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            problems.add(new ConfigProblem(ConfigProblem.SYNTAX, file, line, "", "not valid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            problems.add(new ConfigProblem(ConfigProblem.SYNTAX, file, 0, "", "not valid YAML"));
        }
        return Optional.empty();
    }

    private Optional<PoolSpec> pool(String name, Node node) {
        String field = "pools." + name;
        lines.put(field, line(node));
        if (!validName(name, field, node)) {
            return Optional.empty();
        }
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), POOL_KEYS, field);
        Node backendList = keys.get("backends");
        if (backendList == null) {
            return invalid(node, field + ".backends", "is required: a list of https:// backend URIs");
        }
        int before = problems.size();
        List<BackendSpec> backends = new ArrayList<>();
        for (Node item : sequence(backendList, field + ".backends")) {
            backend(item, field + ".backends").ifPresent(backends::add);
        }
        if (backends.isEmpty() && problems.size() == before) {
            return invalid(backendList, field + ".backends", "needs at least one backend");
        }
        PoolPolicy d = PoolPolicy.DEFAULT;
        PoolPolicy.Balancing balancing = optional(keys, field, "balancing").flatMap(text -> choice(PoolPolicy.Balancing.values(),
                b -> b.text, text, keys.get("balancing"), field + ".balancing")).orElse(d.balancing());
        int maxConcurrent = integer(keys, field, "maxConcurrent", d.maxConcurrent(), 1, 1_000_000);
        Optional<PoolPolicy.HealthCheck> healthCheck = keys.containsKey("healthCheck")
                ? healthCheck(keys.get("healthCheck"), field + ".healthCheck") : Optional.empty();
        PoolPolicy.Ejection ejection = keys.containsKey("ejection") ? ejection(keys.get("ejection"), field + ".ejection") : d.ejection();
        Duration slowStart = duration(keys, field, "slowStart", d.slowStart(), true);
        int retryBudget = integer(keys, field, "retryBudgetPercent", d.retryBudgetPercent(), 0, 100);
        Optional<String> vendor = reference(keys, field, "vendor", "a vendor");
        PoolTls tls = keys.containsKey("tls") ? poolTls(keys.get("tls"), field + ".tls") : PoolTls.SERVER_DEFAULT;
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PoolSpec(name, backends, new PoolPolicy(balancing, maxConcurrent, healthCheck, ejection, slowStart, retryBudget),
                    vendor, tls));
        } catch (IllegalArgumentException e) {
            return invalid(backendList, field + ".backends", e.getMessage());
        }
    }

    /** The inventory's CAs and client certificate a pool uses towards its backends, by name. */
    private PoolTls poolTls(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), POOL_TLS_KEYS, field);
        List<String> trust = new ArrayList<>();
        if (keys.containsKey("trust")) {
            for (Node item : sequence(keys.get("trust"), field + ".trust")) {
                scalar(item, field + ".trust").ifPresent(text -> {
                    if (NAME.matcher(text).matches()) {
                        trust.add(text);
                    } else {
                        invalid(item, field + ".trust", "'" + text + "' is not the name of a certificate");
                    }
                });
            }
        }
        Optional<String> client = reference(keys, field, "clientCertificate", "a certificate");
        if (client.isPresent() && trust.isEmpty()) {
            invalid(node, field + ".trust", "a pool that presents a client certificate names the CAs it trusts too: the backend's, not every CA of the server");
        }
        return new PoolTls(trust, client);
    }

    /** A backend: its URI alone, or a mapping with url and the optional weight, maxConcurrent and draining. */
    private Optional<BackendSpec> backend(Node item, String field) {
        if (item instanceof ScalarNode) {
            return scalar(item, field).flatMap(text -> backendUri(text, item, field)).map(BackendSpec::of);
        }
        Map<String, Node> keys = mapping(item, field);
        unknownKeys(item, keys.keySet(), BACKEND_KEYS, field);
        int before = problems.size();
        Optional<URI> uri = optional(keys, field, "url").flatMap(text -> backendUri(text, keys.get("url"), field + ".url"));
        if (!keys.containsKey("url")) {
            invalid(item, field + ".url", "is required");
        }
        int weight = integer(keys, field, "weight", BackendSpec.DEFAULT_WEIGHT, 1, 100);
        int maxConcurrent = integer(keys, field, "maxConcurrent", BackendSpec.DEFAULT_MAX_CONCURRENT, 1, 1_000_000);
        boolean draining = optional(keys, field, "draining").map(v -> bool(v, keys.get("draining"), field + ".draining")).orElse(false);
        if (problems.size() > before || uri.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BackendSpec(uri.get(), weight, maxConcurrent, draining));
    }

    private Optional<PoolPolicy.HealthCheck> healthCheck(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), HEALTH_CHECK_KEYS, field);
        int before = problems.size();
        String path = required(node, keys, field, "path");
        Duration interval = duration(keys, field, "interval", PoolPolicy.HealthCheck.DEFAULT_INTERVAL, false);
        Duration timeout = duration(keys, field, "timeout", PoolPolicy.HealthCheck.DEFAULT_TIMEOUT, false);
        int healthy = integer(keys, field, "healthyThreshold", 2, 1, 10);
        int unhealthy = integer(keys, field, "unhealthyThreshold", 3, 1, 10);
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PoolPolicy.HealthCheck(path, interval, timeout, healthy, unhealthy));
        } catch (IllegalArgumentException e) {
            return invalid(node, field, e.getMessage());
        }
    }

    private PoolPolicy.Ejection ejection(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), EJECTION_KEYS, field);
        PoolPolicy.Ejection d = PoolPolicy.Ejection.DEFAULT;
        int failures = integer(keys, field, "consecutiveFailures", d.consecutiveFailures(), 1, 100);
        Duration base = duration(keys, field, "baseTime", d.base(), false);
        Duration max = duration(keys, field, "maxTime", d.max(), false);
        try {
            return new PoolPolicy.Ejection(failures, base, max);
        } catch (IllegalArgumentException e) {
            invalid(node, field, e.getMessage());
            return d;
        }
    }

    private int integer(Map<String, Node> keys, String field, String key, int fallback, int min, int max) {
        Optional<String> text = optional(keys, field, key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalid(keys.get(key), field + "." + key, "'" + text.get() + "' is not a whole number from " + min + " to " + max);
        return fallback;
    }

    private Optional<ServiceIdentitySpec> identity(String name, Node node) {
        String field = "identities." + name;
        lines.put(field, line(node));
        if (!validName(name, field, node)) {
            return Optional.empty();
        }
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), IDENTITY_KEYS, field);
        int before = problems.size();
        String fingerprint = required(node, keys, field, "fingerprint");
        boolean enabled = optional(keys, field, "enabled").map(v -> bool(v, keys.get("enabled"), field + ".enabled")).orElse(true);
        String description = optional(keys, field, "description").orElse("");
        if (description.length() > MAX_DESCRIPTION || description.chars().anyMatch(Character::isISOControl)) {
            invalid(keys.get("description"), field + ".description", "must be at most " + MAX_DESCRIPTION + " characters on one line");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ServiceIdentitySpec(name, fingerprint, enabled, description));
        } catch (IllegalArgumentException e) {
            return invalid(keys.get("fingerprint"), field + ".fingerprint", e.getMessage());
        }
    }

    private Optional<URI> backendUri(String text, Node node, String field) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                return invalid(node, field, "'" + text + "' is not an absolute https:// URI with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return invalid(node, field, "'" + text + "' may not carry user info, a query or a fragment");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return invalid(node, field, "'" + text + "' is not a URI");
        }
    }

    private Optional<RouteSpec> route(String name, Node node) {
        String field = "routes." + name;
        lines.put(field, line(node));
        if (!validName(name, field, node)) {
            return Optional.empty();
        }
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), ROUTE_KEYS, field);
        int before = problems.size();
        String prefix = required(node, keys, field, "prefix");
        String pool = required(node, keys, field, "pool");
        String backendPath = optional(keys, field, "backendPath").orElse(prefix);
        Set<String> methods = methods(keys.get("methods"), field + ".methods");
        boolean phi = optional(keys, field, "phi").map(v -> bool(v, keys.get("phi"), field + ".phi")).orElse(true);
        Duration connect = duration(keys, field, "connectTimeout", DEFAULT_CONNECT_TIMEOUT);
        Duration request = duration(keys, field, "requestTimeout", DEFAULT_REQUEST_TIMEOUT);
        Optional<AccessPolicy> policy = keys.containsKey("policy") ? policy(keys.get("policy"), field + ".policy") : Optional.empty();
        Set<String> auditParameters = auditParameters(keys.get("auditParameters"), field + ".auditParameters");
        WafPolicy waf = keys.containsKey("waf") ? waf(keys.get("waf"), field + ".waf") : WafPolicy.DEFAULT;
        Optional<String> vendor = reference(keys, field, "vendor", "a vendor");
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RouteSpec(name, prefix, methods, pool, backendPath, phi, connect, request, policy, auditParameters, waf,
                    vendor));
        } catch (IllegalArgumentException e) {
            return invalid(keys.getOrDefault("prefix", node), field, e.getMessage());
        }
    }

    private Optional<AccessPolicy> policy(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), POLICY_KEYS, field);
        Set<String> roles = identifiers(keys.get("roles"), field + ".roles");
        Set<String> clients = identifiers(keys.get("clients"), field + ".clients");
        Set<String> identities = names(keys.get("identities"), field + ".identities");
        List<Cidr> sources = new ArrayList<>();
        if (keys.containsKey("sources")) {
            for (Node item : sequence(keys.get("sources"), field + ".sources")) {
                scalar(item, field + ".sources").ifPresent(text -> {
                    try {
                        sources.add(Cidr.parse(text));
                    } catch (IllegalArgumentException e) {
                        invalid(item, field + ".sources", e.getMessage());
                    }
                });
            }
        }
        boolean smart = optional(keys, field, "smart").map(v -> bool(v, keys.get("smart"), field + ".smart")).orElse(false);
        boolean breakGlass = optional(keys, field, "breakGlass").map(v -> bool(v, keys.get("breakGlass"), field + ".breakGlass")).orElse(false);
        if (roles.isEmpty() && clients.isEmpty() && identities.isEmpty()) {
            return invalid(node, field, "names no roles, clients or identities; a policy must say who may call the route");
        }
        return Optional.of(new AccessPolicy(roles, clients, identities, sources, smart, breakGlass));
    }

    private WafPolicy waf(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), WAF_KEYS, field);
        WafPolicy d = WafPolicy.DEFAULT;
        WafPolicy.Mode mode = optional(keys, field, "mode").flatMap(text -> choice(WafPolicy.Mode.values(), WafPolicy.Mode::slug, text,
                keys.get("mode"), field + ".mode")).orElse(d.mode());
        WafPolicy.Profile profile = optional(keys, field, "profile").flatMap(text -> choice(WafPolicy.Profile.values(),
                WafPolicy.Profile::slug, text, keys.get("profile"), field + ".profile")).orElse(d.profile());
        long bodyLimit = optional(keys, field, "bodyLimit").map(text -> size(text, keys.get("bodyLimit"), field + ".bodyLimit"))
                .orElse(d.bodyLimit());
        boolean pass = optional(keys, field, "oversizedBody").flatMap(text -> choice(new String[] {"refuse", "pass"}, v -> v, text,
                keys.get("oversizedBody"), field + ".oversizedBody")).map("pass"::equals).orElse(false);
        List<WafPolicy.Exclusion> exclusions = new ArrayList<>();
        if (keys.containsKey("exclusions")) {
            for (Node item : sequence(keys.get("exclusions"), field + ".exclusions")) {
                exclusion(item, field + ".exclusions").ifPresent(exclusions::add);
            }
        }
        return new WafPolicy(mode, profile, bodyLimit, pass, exclusions);
    }

    private Optional<WafPolicy.Exclusion> exclusion(Node node, String field) {
        Map<String, Node> keys = mapping(node, field);
        unknownKeys(node, keys.keySet(), EXCLUSION_KEYS, field);
        String rule = required(node, keys, field, "rule");
        String target = optional(keys, field, "target").orElse("");
        if (WafRules.builtIn().find(rule).isEmpty()) {
            return invalid(keys.getOrDefault("rule", node), field + ".rule", "'" + rule + "' is not a rule of the WAF rules "
                    + WafRules.builtIn().version() + " (docs/waf.md lists them)");
        }
        if (!target.isEmpty() && !EXCLUSION_TARGET.matcher(target).matches()) {
            return invalid(keys.get("target"), field + ".target", "'" + target + "' is not path, query:NAME, header:NAME, cookie:NAME,"
                    + " form:NAME, multipart:NAME, json:$.PATH or xml:/PATH");
        }
        return Optional.of(new WafPolicy.Exclusion(rule, target));
    }

    <T> Optional<T> choice(T[] values, java.util.function.Function<T, String> slug, String text, Node node, String field) {
        for (T value : values) {
            if (slug.apply(value).equals(text)) {
                return Optional.of(value);
            }
        }
        return invalid(node, field, "'" + text + "' is not one of " + java.util.Arrays.stream(values).map(slug).toList());
    }

    /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 1MiB}; at most 32 MiB, since a body is held in memory. */
    private long size(String text, Node node, String field) {
        java.util.regex.Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            invalid(node, field, "'" + text + "' is not a size such as 1MiB, 512KiB or 65536");
            return 0;
        }
        long unit = m.group(2) == null || m.group(2).equals("B") ? 1 : m.group(2).equals("KiB") ? 1024 : 1 << 20;
        long bytes = Long.parseLong(m.group(1)) * unit;
        if (bytes > MAX_BODY_LIMIT) {
            invalid(node, field, "'" + text + "' is over 32MiB: a body is held in memory while it is inspected");
        }
        return bytes;
    }

    private Set<String> identifiers(Node node, String field) {
        Set<String> result = new TreeSet<>();
        if (node == null) {
            return result;
        }
        for (Node item : sequence(node, field)) {
            scalar(item, field).ifPresent(text -> {
                if (IDENTIFIER.matcher(text).matches()) {
                    result.add(text);
                } else {
                    invalid(item, field, "'" + text + "' is not a role or client id");
                }
            });
        }
        return result;
    }

    private Set<String> auditParameters(Node node, String field) {
        Set<String> result = new TreeSet<>();
        if (node == null) {
            return result;
        }
        for (Node item : sequence(node, field)) {
            scalar(item, field).ifPresent(text -> AuditedParameters.refusal(text).ifPresentOrElse(
                    reason -> invalid(item, field, reason), () -> result.add(text)));
        }
        return result;
    }

    int problemCount() {
        return problems.size();
    }

    /** The name of another item (a vendor), checked for form only: whether it exists is {@link ConfigurationCheck}'s question. */
    private Optional<String> reference(Map<String, Node> keys, String field, String key, String what) {
        return optional(keys, field, key).filter(text -> NAME.matcher(text).matches() || invalid(keys.get(key), field + "." + key,
                "'" + text + "' is not the name of " + what).isPresent());
    }

    private Set<String> names(Node node, String field) {
        Set<String> result = new TreeSet<>();
        if (node == null) {
            return result;
        }
        for (Node item : sequence(node, field)) {
            scalar(item, field).ifPresent(text -> {
                if (NAME.matcher(text).matches()) {
                    result.add(text);
                } else {
                    invalid(item, field, "'" + text + "' is not the name of a service identity");
                }
            });
        }
        return result;
    }

    private Set<String> methods(Node node, String field) {
        Set<String> methods = new TreeSet<>();
        if (node == null) {
            return methods;
        }
        for (Node item : sequence(node, field)) {
            scalar(item, field).ifPresent(text -> {
                String method = text.toUpperCase(Locale.ROOT);
                if (METHODS.contains(method)) {
                    methods.add(method);
                } else {
                    invalid(item, field, "'" + text + "' is not one of " + new TreeSet<>(METHODS));
                }
            });
        }
        return methods;
    }

    private Duration duration(Map<String, Node> keys, String field, String key, Duration fallback) {
        return duration(keys, field, key, fallback, false);
    }

    private Duration duration(Map<String, Node> keys, String field, String key, Duration fallback, boolean zeroAllowed) {
        Optional<String> text = optional(keys, field, key);
        if (text.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text.get());
        if (!m.matches()) {
            invalid(keys.get(key), field + "." + key, "'" + text.get() + "' is not a duration such as 500ms, 5s or 2m");
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (d.toMillis() < (zeroAllowed ? 0 : 1) || d.compareTo(Duration.ofMinutes(30)) > 0) {
            invalid(keys.get(key), field + "." + key, zeroAllowed ? "must be between 0s and 30m" : "must be between 1ms and 30m");
        }
        return d;
    }

    private boolean bool(String text, Node node, String field) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        invalid(node, field, "'" + text + "' is not true or false");
        return true;
    }

    boolean validName(String name, String field, Node node) {
        if (NAME.matcher(name).matches()) {
            return true;
        }
        invalid(node, field, "a name is 1-64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        return false;
    }

    String required(Node owner, Map<String, Node> keys, String field, String key) {
        return optional(keys, field, key).orElseGet(() -> {
            invalid(owner, field + "." + key, "is required");
            return "/";
        });
    }

    Optional<String> optional(Map<String, Node> keys, String field, String key) {
        Node node = keys.get(key);
        return node == null ? Optional.empty() : scalar(node, field + "." + key);
    }

    Map<String, Node> mapping(Node node, String field) {
        Map<String, Node> result = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            invalid(node, field.isEmpty() ? "(top level)" : field, "must be a mapping of names to values");
            return result;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Optional<String> key = scalar(tuple.getKeyNode(), field);
            key.ifPresent(k -> {
                if (result.putIfAbsent(k, tuple.getValueNode()) != null) {
                    invalid(tuple.getKeyNode(), join(field, k), "appears twice");
                }
            });
        }
        return result;
    }

    List<Node> sequence(Node node, String field) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        invalid(node, field, "must be a list");
        return List.of();
    }

    Optional<String> scalar(Node node, String field) {
        if (node instanceof ScalarNode scalar) {
            return Optional.of(scalar.getValue().trim());
        }
        return invalid(node, field, "must be a single value");
    }

    /** Each unknown key is reported at its own line: that is where the typo is. */
    void unknownKeys(Node node, Set<String> present, Set<String> known, String field) {
        present.stream().filter(k -> !known.contains(k)).sorted().forEach(k ->
                invalid(keyNode(node, k).orElse(node), join(field, k), "is not a known setting; known here: " + new TreeSet<>(known)));
    }

    private static Optional<Node> keyNode(Node mapping, String key) {
        return mapping instanceof MappingNode m ? m.getValue().stream().map(NodeTuple::getKeyNode)
                .filter(k -> k instanceof ScalarNode s && s.getValue().trim().equals(key)).findFirst() : Optional.empty();
    }

    <T> Optional<T> invalid(Node node, String field, String message) {
        problems.add(new ConfigProblem(ConfigProblem.INVALID_FIELD, file, line(node), field, message));
        return Optional.empty();
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String join(String field, String key) {
        return field.isEmpty() ? key : field + "." + key;
    }
}
