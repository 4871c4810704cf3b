// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A route as the data plane sees it. {@code prefix} always starts and ends with '/';
 * an empty {@code methods} set means every method.
 */
public record RouteSpec(String name, String prefix, Set<String> methods, String pool, String backendPath,
                        boolean carriesPhi, Duration connectTimeout, Duration requestTimeout) {

    public RouteSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pool, "pool");
        prefix = RoutePaths.normalizePrefix(prefix);
        backendPath = RoutePaths.normalizePrefix(backendPath);
        methods = Set.copyOf(methods);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public boolean allows(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** True when the request path falls under this route's prefix ("/fhir" falls under "/fhir/"). */
    boolean covers(String path) {
        return path.startsWith(prefix) || path.length() == prefix.length() - 1 && prefix.startsWith(path);
    }
}
