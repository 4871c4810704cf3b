// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a pool spreads and protects its load: the balancing, the most requests in flight across the pool, the active
 * health check (none: passive ejection alone judges the backends), passive ejection, slow start, and the retry
 * budget (retries in flight as a percentage of requests in flight; at least {@value #MIN_RETRIES} are always allowed).
 */
public record PoolPolicy(Balancing balancing, int maxConcurrent, Optional<HealthCheck> healthCheck, Ejection ejection,
                         Duration slowStart, int retryBudgetPercent) {

    public static final int MIN_RETRIES = 3;
    public static final PoolPolicy DEFAULT = new PoolPolicy(Balancing.ROUND_ROBIN, 1024, Optional.empty(), Ejection.DEFAULT,
            Duration.ofSeconds(30), 20);

    public enum Balancing {
        /** Weighted round robin (smooth: a weight-3 backend gets every third request, not three in a row). */
        ROUND_ROBIN("round-robin"),
        /** The backend with the fewest requests in flight relative to its weight. */
        LEAST_OUTSTANDING("least-outstanding");

        public final String text;

        Balancing(String text) {
            this.text = text;
        }

        public static Optional<Balancing> of(String text) {
            for (Balancing b : values()) {
                if (b.text.equals(text)) {
                    return Optional.of(b);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * An active check: GET {@code path} on each backend every {@code interval}, over the same TLS as traffic; a 2xx
     * within {@code timeout} passes. {@code healthyThreshold} passes in a row bring a backend in,
     * {@code unhealthyThreshold} failures in a row take it out.
     */
    public record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

        public HealthCheck {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a health check path starts with '/'");
            }
            if (timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException("a health check's timeout may not be longer than its interval");
            }
            if (healthyThreshold < 1 || unhealthyThreshold < 1 || healthyThreshold > 10 || unhealthyThreshold > 10) {
                throw new IllegalArgumentException("health check thresholds are 1 to 10");
            }
        }
    }

    /**
     * Passive ejection: {@code consecutiveFailures} connect failures or 5xx answers in a row take a backend out for
     * {@code base}, doubled each time it is ejected again, up to {@code max}.
     */
    public record Ejection(int consecutiveFailures, Duration base, Duration max) {
        public static final Ejection DEFAULT = new Ejection(5, Duration.ofSeconds(10), Duration.ofMinutes(5));

        public Ejection {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("ejection needs at least 1 consecutive failure");
            }
            if (base.compareTo(max) > 0) {
                throw new IllegalArgumentException("the ejection's base time may not be longer than its max time");
            }
        }
    }

    public PoolPolicy {
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(ejection, "ejection");
        Objects.requireNonNull(slowStart, "slowStart");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("a pool's maxConcurrent is at least 1");
        }
        if (retryBudgetPercent < 0 || retryBudgetPercent > 100) {
            throw new IllegalArgumentException("the retry budget is 0 to 100 percent");
        }
    }
}
