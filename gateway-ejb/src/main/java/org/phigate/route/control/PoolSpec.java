// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A backend pool as the data plane sees it: a name, its backends in order, and how it spreads and protects the load.
 * {@code vendor} names the business associate that runs the backends, if any: every route to the pool is then linked to it.
 * {@code tls} names the inventory's CAs and client certificate the pool uses towards its backends.
 */
public record PoolSpec(String name, List<BackendSpec> backends, PoolPolicy policy, Optional<String> vendor, PoolTls tls) {

    /** A pool of the hospital's own backends. */
    public PoolSpec(String name, List<BackendSpec> backends, PoolPolicy policy) {
        this(name, backends, policy, Optional.empty());
    }

    /** A pool that uses the server's backend trust store and presents no client certificate. */
    public PoolSpec(String name, List<BackendSpec> backends, PoolPolicy policy, Optional<String> vendor) {
        this(name, backends, policy, vendor, PoolTls.SERVER_DEFAULT);
    }

    public PoolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(tls, "tls");
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("pool " + name + " has no backends");
        }
        Set<URI> seen = new HashSet<>();
        for (BackendSpec b : backends) {
            if (!seen.add(b.uri())) {
                throw new IllegalArgumentException("pool " + name + " names the backend " + b.uri() + " twice");
            }
        }
    }

    /** A pool of these backends with every default. */
    public static PoolSpec of(String name, List<URI> uris) {
        return new PoolSpec(name, uris.stream().map(BackendSpec::of).toList(), PoolPolicy.DEFAULT);
    }

    public boolean hasPlainHttpBackend() {
        return backends.stream().anyMatch(b -> !"https".equalsIgnoreCase(b.uri().getScheme()));
    }
}
