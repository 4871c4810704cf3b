// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A pool and its backends as the data plane sees them now: what the admin API and the metrics show. */
public record PoolStatus(String name, int inFlight, int maxConcurrent, List<Backend> backends) {

    /** {@code state}: serving, draining, ejected, unhealthy (failing its active health check, or its pool's TLS material expired). */
    public record Backend(String url, String state, int inFlight, int maxConcurrent, int weight, int consecutiveFailures,
                          long ejectedForMillis) {
    }

    static PoolStatus of(PoolClient pool) {
        long now = System.nanoTime();
        boolean tlsExpired = pool.tlsExpired();
        return new PoolStatus(pool.spec().name(), pool.inFlight(), pool.spec().policy().maxConcurrent(), pool.backends().stream()
                .map(b -> new Backend(b.uri.toString(), tlsExpired ? "unhealthy" : b.health(now).name().toLowerCase(java.util.Locale.ROOT), b.inFlight.get(),
                        b.spec().maxConcurrent(), b.spec().weight(), b.consecutiveFailures(),
                        Math.max(0, TimeUnit.NANOSECONDS.toMillis(b.ejectedUntil() - now))))
                .toList());
    }
}
