// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.phigate.policy.AccessPolicy;
import org.phigate.waf.control.WafPolicy;

/**
 * A route as the data plane sees it. {@code prefix} always starts and ends with '/';
 * an empty {@code methods} set means every method; no {@code policy} means nobody may use it.
 * {@code auditParameters} names the query parameters whose values the audit record may keep in clear on this route,
 * beyond the FHIR result parameters every route keeps ({@code AuditedParameters} says which names are never allowed).
 * {@code waf} is how the route's requests are inspected; a route that says nothing gets {@link WafPolicy#DEFAULT}.
 * {@code vendor} names the business associate that receives the route's requests, when its pool does not already.
 */
public record RouteSpec(String name, String prefix, Set<String> methods, String pool, String backendPath,
                        boolean carriesPhi, Duration connectTimeout, Duration requestTimeout,
                        Optional<AccessPolicy> policy, Set<String> auditParameters, WafPolicy waf, Optional<String> vendor) {

    /** A route linked to no vendor (unless through its pool). */
    public RouteSpec(String name, String prefix, Set<String> methods, String pool, String backendPath,
                     boolean carriesPhi, Duration connectTimeout, Duration requestTimeout,
                     Optional<AccessPolicy> policy, Set<String> auditParameters, WafPolicy waf) {
        this(name, prefix, methods, pool, backendPath, carriesPhi, connectTimeout, requestTimeout, policy, auditParameters, waf, Optional.empty());
    }

    /** A route with the default WAF policy. */
    public RouteSpec(String name, String prefix, Set<String> methods, String pool, String backendPath,
                     boolean carriesPhi, Duration connectTimeout, Duration requestTimeout,
                     Optional<AccessPolicy> policy, Set<String> auditParameters) {
        this(name, prefix, methods, pool, backendPath, carriesPhi, connectTimeout, requestTimeout, policy, auditParameters, WafPolicy.DEFAULT);
    }

    /** A route without an access policy (it admits nobody until one is given) and without audited query parameters. */
    public RouteSpec(String name, String prefix, Set<String> methods, String pool, String backendPath,
                     boolean carriesPhi, Duration connectTimeout, Duration requestTimeout) {
        this(name, prefix, methods, pool, backendPath, carriesPhi, connectTimeout, requestTimeout, Optional.empty(), Set.of());
    }

    public RouteSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pool, "pool");
        prefix = RoutePaths.normalizePrefix(prefix);
        backendPath = RoutePaths.normalizePrefix(backendPath);
        methods = Set.copyOf(methods);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(policy, "policy");
        auditParameters = Set.copyOf(auditParameters);
        Objects.requireNonNull(waf, "waf");
        Objects.requireNonNull(vendor, "vendor");
    }

    /** This route with another policy; {@code Optional.empty()} leaves it admitting nobody. */
    public RouteSpec withPolicy(Optional<AccessPolicy> other) {
        return new RouteSpec(name, prefix, methods, pool, backendPath, carriesPhi, connectTimeout, requestTimeout, other,
                auditParameters, waf, vendor);
    }

    public boolean allows(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** True when the request path falls under this route's prefix ("/fhir" falls under "/fhir/"). */
    boolean covers(String path) {
        return path.startsWith(prefix) || path.length() == prefix.length() - 1 && prefix.startsWith(path);
    }
}
