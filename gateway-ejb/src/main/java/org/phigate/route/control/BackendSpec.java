// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.net.URI;
import java.util.Objects;

/**
 * One backend of a pool: its base URI, its share of the pool's traffic ({@code weight}, 1-100), the most requests
 * it may have in flight at once, and whether it is draining (it takes no new requests; those in flight finish).
 */
public record BackendSpec(URI uri, int weight, int maxConcurrent, boolean draining) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int DEFAULT_MAX_CONCURRENT = 512;

    public BackendSpec {
        Objects.requireNonNull(uri, "uri");
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException("a backend's weight is 1 to 100, not " + weight);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("a backend's maxConcurrent is at least 1, not " + maxConcurrent);
        }
    }

    /** A backend with the defaults: weight 1, 512 requests at once, taking traffic. */
    public static BackendSpec of(URI uri) {
        return new BackendSpec(uri, DEFAULT_WEIGHT, DEFAULT_MAX_CONCURRENT, false);
    }

    public boolean hasDefaults() {
        return weight == DEFAULT_WEIGHT && maxConcurrent == DEFAULT_MAX_CONCURRENT && !draining;
    }
}
