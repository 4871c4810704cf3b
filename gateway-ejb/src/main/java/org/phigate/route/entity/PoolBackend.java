// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.net.URI;
import org.phigate.route.control.BackendSpec;

/** One backend of a pool, as its row in pool_backend holds it. */
@Embeddable
public class PoolBackend {

    @Column(name = "uri", nullable = false, length = 2048)
    private String uri;

    @Column(name = "weight", nullable = false)
    private int weight;

    @Column(name = "max_concurrent", nullable = false)
    private int maxConcurrent;

    @Column(name = "draining", nullable = false)
    private boolean draining;

    protected PoolBackend() {
    }

    PoolBackend(BackendSpec spec) {
        this.uri = spec.uri().toString();
        this.weight = spec.weight();
        this.maxConcurrent = spec.maxConcurrent();
        this.draining = spec.draining();
    }

    BackendSpec toSpec() {
        return new BackendSpec(URI.create(uri), weight, maxConcurrent, draining);
    }
}
