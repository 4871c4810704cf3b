// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.xnio.OptionMap;
import org.xnio.ssl.XnioSsl;

/**
 * One pool as the proxy uses it. {@link #admit} runs before the request is journaled: it holds one of the pool's
 * slots for the request, or says why there is none (the pool is at its limit, or no backend can take a request),
 * so the gateway answers 503 at once instead of queueing. The proxy then asks {@link #getConnection} for a
 * connection: the client picks a backend by the pool's balancing, among those that take requests and that this
 * request has not tried yet. A connect failure counts against the backend, and Undertow's proxy asks again (another
 * backend), within the retry budget. When the exchange ends, the slot is freed and the answer judged (a 5xx counts
 * against the backend). {@link #update} takes a changed pool without losing the backends' connections and state;
 * a backend that left the pool takes no new requests, and its connections close once its requests have finished.
 */
final class PoolClient implements ProxyClient {

    /** Why {@link #admit} refused. */
    enum Refusal {
        AT_LIMIT, NO_BACKEND
    }

    /** What one exchange holds of this pool: its slot, the backends it tried, the one it uses now. */
    private static final class Ticket {
        final PoolClient pool;
        final List<BackendState> tried = new ArrayList<>(2);
        BackendState current;
        boolean retry;

        Ticket(PoolClient pool) {
            this.pool = pool;
        }
    }

    private static final Logger LOG = Logger.getLogger(PoolClient.class.getName());
    private static final AttachmentKey<Ticket> TICKET = AttachmentKey.create(Ticket.class);
    private static final ProxyTarget TARGET = new ProxyTarget() {
    };

    private final XnioSsl tls;
    private final SSLContext sslContext;
    /** When the first CA or client certificate the pool's tls names expires (epoch millis); Long.MAX_VALUE: never checked. */
    private final long tlsValidUntilMillis;
    private volatile boolean tlsExpiryLogged;
    private final Clock clock;
    private final OptionMap socketOptions;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger retriesInFlight = new AtomicInteger();
    private final Object selection = new Object();
    private volatile PoolSpec spec;
    private volatile List<BackendState> backends;
    private final List<BackendState> leaving = new ArrayList<>();
    private volatile boolean panic;
    /** Where least-outstanding starts looking, so that ties take turns; only touched under the selection lock. */
    private int rotor;

    PoolClient(PoolSpec spec, XnioSsl tls, OptionMap socketOptions) {
        this(spec, tls, null, Instant.MAX, Clock.systemUTC(), socketOptions);
    }

    /**
     * @param sslContext what the pool's health checks use (the same as {@code tls}); null: the data plane's default
     * @param tlsValidUntil from this instant on the pool's backends take no request: a CA or client certificate its tls
     *                      names has expired ({@link Instant#MIN}: its material could not be resolved at all)
     */
    PoolClient(PoolSpec spec, XnioSsl tls, SSLContext sslContext, Instant tlsValidUntil, Clock clock, OptionMap socketOptions) {
        this.tls = tls;
        this.clock = clock;
        this.sslContext = sslContext;
        this.tlsValidUntilMillis = tlsValidUntil.equals(Instant.MAX) ? Long.MAX_VALUE
                : tlsValidUntil.equals(Instant.MIN) ? Long.MIN_VALUE : tlsValidUntil.toEpochMilli();
        this.socketOptions = socketOptions;
        this.spec = spec;
        this.backends = spec.backends().stream().map(b -> new BackendState(spec.name(), b, tls, socketOptions)).toList();
    }

    PoolSpec spec() {
        return spec;
    }

    List<BackendState> backends() {
        return backends;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The pool's own TLS, for its health checks; empty: the data plane's default. */
    Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * True once a CA or the client certificate the pool's tls names has expired: its backends are unhealthy and take no
     * request, even in panic, since a handshake would fail or present an expired certificate. Logged once (PHIG-0822).
     */
    boolean tlsExpired() {
        if (tlsValidUntilMillis == Long.MAX_VALUE || clock.millis() < tlsValidUntilMillis) {
            return false;
        }
        if (!tlsExpiryLogged) {
            tlsExpiryLogged = true;
            LOG.severe(() -> "PHIG-0822 pool " + spec.name() + ": " + (tlsValidUntilMillis == Long.MIN_VALUE
                    ? "the certificates its tls names could not be read from the inventory"
                    : "a CA or the client certificate its tls names expired at " + Instant.ofEpochMilli(tlsValidUntilMillis))
                    + "; its backends are unhealthy until the pool names valid certificates");
        }
        return true;
    }

    /** Takes the changed pool: kept backends keep their connections and verdicts, new ones join, removed ones drain out. */
    void update(PoolSpec newer) {
        synchronized (selection) {
            Map<URI, BackendState> current = new LinkedHashMap<>();
            backends.forEach(b -> current.put(b.uri, b));
            List<BackendState> next = new ArrayList<>();
            for (BackendSpec b : newer.backends()) {
                BackendState kept = current.remove(b.uri());
                if (kept != null) {
                    kept.update(b);
                    next.add(kept);
                } else {
                    next.add(new BackendState(newer.name(), b, tls, socketOptions));
                }
            }
            current.values().forEach(BackendState::remove);
            leaving.addAll(current.values());
            spec = newer;
            backends = List.copyOf(next);
        }
        closeFinished();
    }

    /** The pool left the route table: no new requests, connections close once the requests in flight finish. */
    void retire() {
        synchronized (selection) {
            backends.forEach(BackendState::remove);
            leaving.addAll(backends);
            backends = List.of();
        }
        closeFinished();
    }

    private void closeFinished() {
        List<BackendState> done = new ArrayList<>();
        synchronized (selection) {
            leaving.removeIf(b -> {
                if (b.inFlight.get() == 0) {
                    done.add(b);
                    return true;
                }
                return false;
            });
        }
        done.forEach(b -> b.connections.close());
    }

    /**
     * Holds a slot of the pool for this exchange until it ends; empty when admitted. A request is refused at once
     * when the pool has {@code maxConcurrent} requests in flight or none of its backends can take one.
     */
    Optional<Refusal> admit(HttpServerExchange exchange) {
        PoolPolicy policy = spec.policy();
        if (inFlight.incrementAndGet() > policy.maxConcurrent()) {
            inFlight.decrementAndGet();
            return Optional.of(Refusal.AT_LIMIT);
        }
        if (tlsExpired() || !anyAvailable(System.nanoTime())) {
            inFlight.decrementAndGet();
            return Optional.of(Refusal.NO_BACKEND);
        }
        Ticket ticket = new Ticket(this);
        exchange.putAttachment(TICKET, ticket);
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                finish(ex, ticket);
            } finally {
                next.proceed();
            }
        });
        return Optional.empty();
    }

    private boolean anyAvailable(long now) {
        for (BackendState b : backends) {
            if (b.available(now) || b.availableInPanic(now)) {
                return true;
            }
        }
        return false;
    }

    private void finish(HttpServerExchange exchange, Ticket ticket) {
        inFlight.decrementAndGet();
        if (ticket.retry) {
            retriesInFlight.decrementAndGet();
        }
        BackendState used = ticket.current;
        if (used != null) {
            ticket.current = null;
            used.inFlight.decrementAndGet();
            if (exchange.getStatusCode() < 500) {
                used.succeeded();
            } else if (!clientCaused(exchange)) {
                countFailure(used);
            }
            if (used.removed()) {
                closeFinished();
            }
        }
    }

    /**
     * A 5xx that says nothing about the backend: the client went away before its request was read to the end, or the
     * request was one the gateway let through with a finding (a WAF rule in detect mode, a body passed uninspected,
     * trailers it dropped). Any signed-in caller can send those; they must not eject a backend.
     */
    private static boolean clientCaused(HttpServerExchange exchange) {
        if (!exchange.isRequestComplete() || Boolean.TRUE.equals(exchange.getAttachment(DataPlaneAttachments.SUSPECT))) {
            return true;
        }
        AuditTrail.State audit = exchange.getAttachment(DataPlaneAttachments.AUDIT);
        return audit != null && audit.inspection != null;
    }

    /**
     * A failure of {@code backend}: it may eject it, but never more than half the pool's backends (rounded down) at
     * once, so that no client can empty a pool by passive ejection, whatever it sends. Active health checks still
     * take a failing backend out.
     */
    private synchronized void countFailure(BackendState backend) {
        long now = System.nanoTime();
        backend.failed(spec.policy().ejection(), now, () -> {
            // Half of the backends that would serve: draining and removed ones do not count, failing ones are out already.
            int out = 0;
            int serving = 0;
            for (BackendState b : backends) {
                BackendState.Health h = b.health(now);
                if (h == BackendState.Health.EJECTED || h == BackendState.Health.UNHEALTHY) {
                    out++;
                    serving++;
                } else if (h == BackendState.Health.SERVING) {
                    serving++;
                }
            }
            return out + 1 <= serving / 2;
        });
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        return exchange.getAttachment(TICKET) == null ? null : TARGET;
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        Ticket ticket = exchange.getAttachment(TICKET);
        if (ticket == null) {
            callback.couldNotResolveBackend(exchange);
            return;
        }
        if (ticket.current != null) {
            release(ticket, ticket.current);
        }
        if (!ticket.tried.isEmpty() && !ticket.retry) {
            PoolPolicy policy = spec.policy();
            int budget = Math.max(PoolPolicy.MIN_RETRIES, inFlight.get() * policy.retryBudgetPercent() / 100);
            if (retriesInFlight.incrementAndGet() > budget) {
                retriesInFlight.decrementAndGet();
                callback.couldNotResolveBackend(exchange);
                return;
            }
            ticket.retry = true;
        }
        BackendState chosen = choose(ticket.tried);
        if (chosen == null) {
            callback.couldNotResolveBackend(exchange);
            return;
        }
        ticket.tried.add(chosen);
        ticket.current = chosen;
        chosen.connections.connect(target, exchange, new ProxyCallback<>() {
            @Override
            public void completed(HttpServerExchange ex, ProxyConnection connection) {
                callback.completed(ex, connection);
            }

            @Override
            public void failed(HttpServerExchange ex) {
                release(ticket, chosen);
                callback.failed(ex);
            }

            @Override
            public void queuedRequestFailed(HttpServerExchange ex) {
                release(ticket, chosen);
                callback.queuedRequestFailed(ex);
            }

            @Override
            public void couldNotResolveBackend(HttpServerExchange ex) {
                release(ticket, chosen);
                callback.couldNotResolveBackend(ex);
            }
        }, timeout, timeUnit, false);
    }

    /**
     * An attempt on {@code chosen} failed (no connection, a connection that failed before the answer, or the connect
     * deadline): it counts against the backend, and the request no longer uses it.
     */
    private void release(Ticket ticket, BackendState chosen) {
        if (ticket.current == chosen) {
            ticket.current = null;
            chosen.inFlight.decrementAndGet();
            countFailure(chosen);
        }
    }

    /**
     * The backend for the next request by the pool's balancing, among those that take requests and were not tried;
     * when none of them passes its health check, among those that only fail it (panic: PHIG-0504).
     */
    BackendState choose(List<BackendState> tried) {
        if (tlsExpired()) {
            return null;
        }
        long now = System.nanoTime();
        BackendState chosen = choose(tried, b -> b.available(now), now);
        if (chosen != null) {
            panic = false;
            return chosen;
        }
        chosen = choose(tried, b -> b.availableInPanic(now), now);
        if (chosen != null && !panic) {
            panic = true;
            LOG.warning(() -> "PHIG-0504 no backend of pool " + spec.name() + " passes its health check; requests go to those "
                    + "that only fail it until one passes again (check the health check's path)");
        }
        return chosen;
    }

    private BackendState choose(List<BackendState> tried, Predicate<BackendState> eligible, long now) {
        PoolPolicy policy = spec.policy();
        synchronized (selection) {
            BackendState best = null;
            if (policy.balancing() == PoolPolicy.Balancing.LEAST_OUTSTANDING) {
                long bestScore = Long.MAX_VALUE;
                int n = backends.size();
                int start = n == 0 ? 0 : Math.floorMod(rotor++, n);
                for (int i = 0; i < n; i++) {
                    BackendState b = backends.get((start + i) % n);
                    if (eligible.test(b) && !tried.contains(b)) {
                        long score = (b.inFlight.get() + 1L) * 1000 / b.effectiveWeight(now, policy);
                        if (score < bestScore) {
                            bestScore = score;
                            best = b;
                        }
                    }
                }
            } else {
                int total = 0;
                for (BackendState b : backends) {
                    if (eligible.test(b) && !tried.contains(b)) {
                        int weight = b.effectiveWeight(now, policy);
                        b.currentWeight += weight;
                        total += weight;
                        if (best == null || b.currentWeight > best.currentWeight) {
                            best = b;
                        }
                    }
                }
                if (best != null) {
                    best.currentWeight -= total;
                }
            }
            if (best != null) {
                best.inFlight.incrementAndGet();
            }
            return best;
        }
    }
}
