// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.client.UndertowClient;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.xnio.OptionMap;
import org.xnio.ssl.XnioSsl;

/**
 * One backend of a pool as the data plane tracks it: its connections, its requests in flight, and the verdicts on
 * it. A backend takes new requests when it is not draining or removed, not ejected (passive: consecutive connect
 * failures or 5xx answers), not failing its active health check, and below its own concurrency limit. After an
 * ejection or a failed health check ends it comes back with slow start: its weight grows from 10% to 100% over the
 * pool's slow-start time.
 */
final class BackendState implements ConnectionPoolManager {

    private static final Logger LOG = Logger.getLogger(BackendState.class.getName());
    static final int CONNECTIONS_PER_IO_THREAD = 64;
    static final int IDLE_CONNECTION_TTL_MS = 30_000;

    enum Health {
        SERVING, DRAINING, EJECTED, UNHEALTHY, REMOVED
    }

    final String pool;
    final URI uri;
    final ProxyConnectionPool connections;
    final AtomicInteger inFlight = new AtomicInteger();
    private volatile BackendSpec spec;
    private volatile boolean removed;
    private volatile boolean activeHealthy = true;
    private int consecutivePasses;
    private int consecutiveChecksFailed;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile long ejectedUntil;
    private volatile int ejections;
    /** Whether the last ejection this backend earned was held back by its pool's cap (logged once per run). */
    private boolean ejectionCapped;
    private volatile long servingSince = Long.MIN_VALUE;
    /** The smooth weighted round robin's running weight; only touched under the pool's selection lock. */
    int currentWeight;

    BackendState(String pool, BackendSpec spec, XnioSsl tls, OptionMap socketOptions) {
        this.pool = pool;
        this.uri = spec.uri();
        this.spec = spec;
        this.connections = new ProxyConnectionPool(this, uri, "https".equalsIgnoreCase(uri.getScheme()) ? tls : null,
                UndertowClient.getInstance(), socketOptions);
    }

    BackendSpec spec() {
        return spec;
    }

    void update(BackendSpec newer) {
        this.spec = newer;
    }

    void remove() {
        removed = true;
    }

    boolean removed() {
        return removed;
    }

    Health health(long now) {
        if (removed) {
            return Health.REMOVED;
        }
        if (spec.draining()) {
            return Health.DRAINING;
        }
        if (now < ejectedUntil) {
            return Health.EJECTED;
        }
        return activeHealthy ? Health.SERVING : Health.UNHEALTHY;
    }

    /** Serving and below its own limit. */
    boolean available(long now) {
        return health(now) == Health.SERVING && inFlight.get() < spec.maxConcurrent();
    }

    /**
     * Failing only its active health check, and below its own limit: when no backend of the pool passes, the check is
     * more likely wrong than every backend down, so these still take requests (passive ejection still applies).
     */
    boolean availableInPanic(long now) {
        return health(now) == Health.UNHEALTHY && inFlight.get() < spec.maxConcurrent();
    }

    /** The weight this backend has now, in tenths: during slow start it grows from a tenth of its weight to all of it. */
    int effectiveWeight(long now, PoolPolicy policy) {
        int full = spec.weight() * 10;
        long slowStart = policy.slowStart().toNanos();
        long serving = now - servingSince;
        if (slowStart <= 0 || servingSince == Long.MIN_VALUE || serving >= slowStart) {
            return full;
        }
        return Math.max(1, (int) Math.max(full / 10, full * serving / slowStart));
    }

    /** A request through this backend answered without a 5xx: the run of failures ends. */
    void succeeded() {
        consecutiveFailures.set(0);
    }

    /**
     * A connect failure, a timeout or a 5xx answer. Enough of them in a row eject the backend, for twice as long each
     * time, when {@code mayEject} allows one more ejection in its pool; a backend that went the pool's longest
     * ejection time without one starts from the base time again. Called under the pool's lock.
     */
    void failed(PoolPolicy.Ejection ejection, long now, java.util.function.BooleanSupplier mayEject) {
        if (consecutiveFailures.incrementAndGet() < ejection.consecutiveFailures() || now < ejectedUntil) {
            return;
        }
        synchronized (this) {
            if (now < ejectedUntil) {
                return;
            }
            if (!mayEject.getAsBoolean()) {
                if (!ejectionCapped) {
                    ejectionCapped = true;
                    LOG.warning(() -> "PHIG-0505 backend " + uri + " of pool " + pool + " failed " + ejection.consecutiveFailures()
                            + " times in a row but is not ejected: half the pool is ejected already");
                }
                return;
            }
            ejectionCapped = false;
            if (ejectedUntil != 0 && now - ejectedUntil > ejection.max().toNanos()) {
                ejections = 0;
            }
            int times = ejections++;
            long base = ejection.base().toNanos();
            long time = Math.min(ejection.max().toNanos(), base << Math.min(times, 20));
            ejectedUntil = now + time;
            servingSince = ejectedUntil;
            consecutiveFailures.set(0);
            LOG.warning(() -> "PHIG-0501 backend " + uri + " of pool " + pool + " ejected for " + TimeUnit.NANOSECONDS.toMillis(time)
                    + " ms after " + ejection.consecutiveFailures() + " failures in a row (ejection " + (times + 1) + ")");
        }
    }

    /** The result of one active health check. */
    synchronized void checked(boolean passed, PoolPolicy.HealthCheck check, long now) {
        if (passed) {
            consecutiveChecksFailed = 0;
            if (!activeHealthy && ++consecutivePasses >= check.healthyThreshold()) {
                activeHealthy = true;
                servingSince = now;
                ejections = 0;
                LOG.info(() -> "PHIG-0502 backend " + uri + " of pool " + pool + " passes its health check again; it takes traffic, slowly at first");
            }
        } else {
            consecutivePasses = 0;
            if (activeHealthy && ++consecutiveChecksFailed >= check.unhealthyThreshold()) {
                activeHealthy = false;
                LOG.warning(() -> "PHIG-0503 backend " + uri + " of pool " + pool + " failed " + check.unhealthyThreshold()
                        + " health checks in a row; it takes no traffic until it passes " + check.healthyThreshold());
            }
        }
    }

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    long ejectedUntil() {
        return ejectedUntil;
    }

    // The connection pool's settings and error handling: the pool keeps connections; this class judges the backend.

    @Override
    public int getProblemServerRetry() {
        return -1;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public boolean handleError() {
        return true;
    }

    @Override
    public boolean clearError() {
        return true;
    }

    @Override
    public int getMaxConnections() {
        return CONNECTIONS_PER_IO_THREAD;
    }

    @Override
    public int getMaxCachedConnections() {
        return CONNECTIONS_PER_IO_THREAD;
    }

    @Override
    public int getSMaxConnections() {
        return CONNECTIONS_PER_IO_THREAD;
    }

    @Override
    public long getTtl() {
        return IDLE_CONNECTION_TTL_MS;
    }

    @Override
    public int getMaxQueueSize() {
        return spec.maxConcurrent();
    }
}
