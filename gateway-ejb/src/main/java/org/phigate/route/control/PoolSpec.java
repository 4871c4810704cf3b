// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** A backend pool as the data plane sees it: a name and the base URIs of its backends, in order. */
public record PoolSpec(String name, List<URI> backends) {

    public PoolSpec {
        Objects.requireNonNull(name, "name");
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("pool " + name + " has no backends");
        }
    }

    public boolean hasPlainHttpBackend() {
        return backends.stream().anyMatch(uri -> !"https".equalsIgnoreCase(uri.getScheme()));
    }
}
