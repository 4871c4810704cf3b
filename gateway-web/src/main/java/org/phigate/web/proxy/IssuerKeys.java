// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The issuer's signing keys, as the data plane needs them: read without waiting, fetched off the I/O threads.
 * A refresh runs at most once per {@link #MIN_REFRESH}, however many requests ask for one (an unknown
 * {@code kid} in a flood of forged tokens must not become a flood of requests to the issuer); concurrent
 * askers share the fetch in flight. Keys older than {@link #MAX_AGE} are refreshed in the background.
 */
final class IssuerKeys {

    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(IssuerKeys.class.getName());

    private final Supplier<CompletableFuture<JWKSet>> fetch;
    private final long minRefreshNanos;
    private final AtomicReference<JWKSet> current = new AtomicReference<>(new JWKSet());
    private final AtomicReference<CompletableFuture<JWKSet>> inFlight = new AtomicReference<>();
    private volatile long lastFetchNanos;
    private volatile long lastSuccessNanos;

    IssuerKeys(Supplier<CompletableFuture<JWKSet>> fetch, Duration minRefresh) {
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.minRefreshNanos = minRefresh.toNanos();
        this.lastFetchNanos = System.nanoTime() - minRefreshNanos - 1;
        this.lastSuccessNanos = lastFetchNanos - MAX_AGE.toNanos();
        refresh();
    }

    /** Fetches from the issuer's JWKS URI, or finds it first through the issuer's OpenID discovery document. */
    static IssuerKeys of(String issuer, String jwksUri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Supplier<CompletableFuture<URI>> where = jwksUri == null || jwksUri.isBlank()
                ? () -> get(http, URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration"))
                        .thenApply(body -> URI.create(parseJwksUri(body)))
                : () -> CompletableFuture.completedFuture(URI.create(jwksUri));
        return new IssuerKeys(() -> where.get().thenCompose(uri -> get(http, uri)).thenApply(IssuerKeys::parseKeys), MIN_REFRESH);
    }

    JWKSet current() {
        if (System.nanoTime() - lastSuccessNanos > MAX_AGE.toNanos()) {
            refresh();
        }
        return current.get();
    }

    /** A refresh, or the one in flight, or (if one ran lately) the keys as they are. Never blocks. */
    CompletableFuture<JWKSet> refresh() {
        CompletableFuture<JWKSet> running = inFlight.get();
        if (running != null) {
            return running;
        }
        if (System.nanoTime() - lastFetchNanos < minRefreshNanos) {
            return CompletableFuture.completedFuture(current.get());
        }
        CompletableFuture<JWKSet> mine = new CompletableFuture<>();
        if (!inFlight.compareAndSet(null, mine)) {
            return inFlight.get();
        }
        lastFetchNanos = System.nanoTime();
        CompletableFuture<JWKSet> fetched;
        try {
            fetched = fetch.get();
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).whenComplete((keys, error) -> {
            if (keys != null) {
                current.set(keys);
                lastSuccessNanos = System.nanoTime();
            } else {
                LOG.warning(() -> "PHIG-0210 the issuer's keys could not be fetched (" + error.getClass().getSimpleName()
                        + "); tokens signed with keys not yet known are refused until they can");
            }
            inFlight.set(null);
            mine.complete(current.get());
        });
        return mine;
    }

    private static CompletableFuture<String> get(HttpClient http, URI uri) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Accept", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + " from " + uri);
                    }
                    return response.body();
                });
    }

    private static String parseJwksUri(String discovery) {
        try {
            return JSONObjectUtils.getString(JSONObjectUtils.parse(discovery), "jwks_uri");
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the discovery document is not JSON", e);
        }
    }

    private static JWKSet parseKeys(String body) {
        try {
            return JWKSet.parse(body);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the JWKS is not a JWK set", e);
        }
    }
}
