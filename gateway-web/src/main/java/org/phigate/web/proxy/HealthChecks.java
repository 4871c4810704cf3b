// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.phigate.route.control.PoolPolicy;

/**
 * Active health checks: for each pool that configures one, a GET of its path on every backend each interval, over
 * the same TLS trust and host-name checks as traffic (the backends' SSLContext, HTTP/1.1). A 2xx within the
 * timeout passes. One scheduler thread for all pools; the checks themselves run asynchronously.
 */
final class HealthChecks implements AutoCloseable {

    private record Watch(PoolPolicy.HealthCheck check, ScheduledFuture<?> task) {
    }

    private final HttpClient client;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "phigate-health-checks");
        t.setDaemon(true);
        return t;
    });
    private final Map<PoolClient, Watch> watched = new IdentityHashMap<>();

    HealthChecks(SSLContext backendTls) {
        this.client = client(backendTls);
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Checks exactly these pools from now on, each by its current health check (none: not checked). */
    synchronized void watch(Collection<PoolClient> pools) {
        watched.entrySet().removeIf(e -> {
            Optional<PoolPolicy.HealthCheck> now = pools.contains(e.getKey()) ? e.getKey().spec().policy().healthCheck() : Optional.empty();
            if (now.isPresent() && now.get().equals(e.getValue().check())) {
                return false;
            }
            e.getValue().task().cancel(false);
            return true;
        });
        for (PoolClient pool : pools) {
            pool.spec().policy().healthCheck().filter(check -> !watched.containsKey(pool)).ifPresent(check -> {
                long every = check.interval().toMillis();
                HttpClient over = pool.sslContext().map(HealthChecks::client).orElse(client);
                ScheduledFuture<?> task = scheduler.scheduleWithFixedDelay(() -> checkAll(pool, check, over), 0, every, TimeUnit.MILLISECONDS);
                watched.put(pool, new Watch(check, task));
            });
        }
    }

    /** @param client the data plane's, or for a pool with TLS of its own (its CAs, its client certificate) one of its own */
    private void checkAll(PoolClient pool, PoolPolicy.HealthCheck check, HttpClient client) {
        if (pool.tlsExpired()) {
            pool.backends().forEach(b -> b.checked(false, check, System.nanoTime()));
            return;
        }
        for (BackendState backend : pool.backends()) {
            URI target = backend.uri.resolve(check.path());
            HttpRequest request = HttpRequest.newBuilder(target).timeout(check.timeout()).header("User-Agent", "PHIGate-health-check").GET().build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) ->
                    backend.checked(failure == null && response.statusCode() / 100 == 2, check, System.nanoTime()));
        }
    }

    @Override
    public synchronized void close() {
        watched.values().forEach(w -> w.task().cancel(false));
        watched.clear();
        scheduler.shutdownNow();
    }
}
