// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Configuration changes through the admin API while a bounded load runs on loopback: the route is moved between
 * two pools, its policy is rewritten and other routes come and go. Requests in flight when a change lands
 * finish on the pool they started on; not one fails.
 */
class LiveChangeIT extends AgainstTheGateway {

    private static final int CLIENTS = 4;
    private static final int MAX_REQUESTS = 4000;
    private static final Duration LOAD = Duration.ofSeconds(8);
    private static FhirDemoServer blue;
    private static FhirDemoServer green;

    @BeforeAll
    static void start() throws Exception {
        blue = backend("blue");
        green = backend("green");
    }

    private static String document(String pool, String roles, boolean extraRoute) {
        return """
                {"pools": {"live-blue": {"backends": ["https://127.0.0.1:%d"]}, "live-green": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"live": {"prefix": "/live/", "pool": "%s", "backendPath": "/r4/", "policy": {"roles": [%s]}}%s}}
                """.formatted(blue.port(), green.port(), pool, roles,
                extraRoute ? ", \"live-extra\": {\"prefix\": \"/live-extra/\", \"pool\": \"live-green\", \"policy\": {\"roles\": [\"clinician\"]}}" : "");
    }

    @Test
    void changesUnderLoadFailNoRequestInFlight() throws Exception {
        String ops = ops();
        String ehr = ehr();
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", document("live-blue", "\"clinician\"", false), ops)
                .statusCode()).isEqualTo(200);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        Instant deadline = Instant.now().plus(LOAD);
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(load.submit(() -> {
                while (Instant.now().isBefore(deadline) && sent.incrementAndGet() <= MAX_REQUESTS) {
                    outcomes.computeIfAbsent(call(ehr), k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        int changes = 0;
        while (Instant.now().isBefore(deadline.minusSeconds(1))) {
            boolean even = changes % 2 == 0;
            String roles = even ? "\"clinician\", \"gateway-auditor\"" : "\"clinician\"";
            HttpResponse<String> applied = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json",
                    document(even ? "live-green" : "live-blue", roles, even), ops);
            assertThat(applied.statusCode()).isEqualTo(200);
            if (!even) {
                assertThat(gateway.delete(Gateway.ADMIN + "/api/routes/live-extra", ops).statusCode()).isEqualTo(204);
            }
            changes++;
            Thread.sleep(250);
        }
        for (Future<?> client : clients) {
            client.get(30, TimeUnit.SECONDS);
        }
        load.shutdown();

        assertThat(changes).isGreaterThanOrEqualTo(10);
        assertThat(outcomes.keySet()).as("every request answered by a backend, none failed: %s", outcomes)
                .containsExactlyInAnyOrder("200 blue", "200 green");
        assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isGreaterThan(100);
    }

    /** One request of the load: "status instance", or the exception's class when it failed below HTTP. */
    private static String call(String token) {
        try {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(Gateway.DATA + "/live/_debug/slow?ms=20"))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token).build());
            return response.statusCode() + " " + response.headers().firstValue("X-Backend-Instance").orElse("(gateway)");
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }
}
