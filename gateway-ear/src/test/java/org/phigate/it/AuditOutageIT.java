// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The audit store goes away under a bounded load on loopback (PostgreSQL stopped, its data kept) and comes back.
 * While it is away, PHI routes answer 503 PHIG-5032 and nothing reaches the backend; every request the backend did
 * answer has its audit record; service returns by itself when the database does. PostgreSQL run only: the H2
 * database lives inside the server.
 */
class AuditOutageIT extends AgainstTheGateway {

    private record Answer(int status, String requestId, boolean fromBackend, String body) {
    }

    private static final int CLIENTS = 3;
    /** A bound on the load; refusals come back in microseconds, so a client backs off a little after each (below). */
    private static final int MAX_REQUESTS = 20_000;

    private static void database(String... command) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("bash", System.getProperty("phigate.it.postgres.script")));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static Answer call(String token) {
        try {
            HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(URI.create(Gateway.DATA + "/it-outage/_debug/echo"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build());
            return new Answer(r.statusCode(), r.headers().firstValue("X-Request-Id").orElse(""),
                    r.headers().firstValue("X-Backend-Instance").isPresent(), r.body());
        } catch (Exception e) {
            return new Answer(0, "", false, e.getClass().getSimpleName());
        }
    }

    private static void await(List<Answer> answers, Predicate<Answer> seen, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(45);
        int from = answers.size();
        while (Instant.now().isBefore(deadline)) {
            if (answers.subList(Math.min(from, answers.size()), answers.size()).stream().anyMatch(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        List<Answer> since = answers.subList(Math.min(from, answers.size()), answers.size());
        throw new AssertionError("not seen within 45 s: " + what + "; " + since.size() + " answers since, the last: "
                + since.subList(Math.max(0, since.size() - 3), since.size()).stream()
                        .map(a -> a.status() + " " + a.body().substring(0, Math.min(160, a.body().length()))).toList());
    }

    @Test
    void whileTheAuditStoreIsDownNothingIsForwardedAndServiceReturnsWithIt() throws Exception {
        String dir = System.getProperty("phigate.it.postgres.dir", "");
        assumeTrue(!dir.isEmpty(), "needs the test's own PostgreSQL server: run on PostgreSQL only");
        FhirDemoServer backend = backend("outage-it");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"outage-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-outage": {"prefix": "/it-outage/", "pool": "outage-pool", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
        String token = ehr();
        String auditorToken = ops();
        List<Answer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new java.util.ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(load.submit(() -> {
                while (running.get() && sent.incrementAndGet() <= MAX_REQUESTS) {
                    Answer answer = call(token);
                    answers.add(answer);
                    if (answer.status() != 200) {
                        Thread.sleep(5);
                    }
                }
                return null;
            }));
        }
        try {
            await(answers, a -> a.status() == 200, "a forwarded request before the outage");
            database("pause", dir);
            try {
                await(answers, a -> a.status() == 503 && a.body().contains("PHIG-5032"), "503 PHIG-5032 during the outage");
                assertThat(gateway.get(Gateway.ADMIN + "/api/health").body()).contains("\"storeUp\":false");
                HttpResponse<String> change = gateway.put(Gateway.ADMIN + "/api/pools/outage-unrecorded", "application/json",
                        "{\"backends\": [\"https://127.0.0.1:%d\"]}".formatted(backend.port()), auditorToken);
                assertThat(change.statusCode()).as("no admin change without its record").isEqualTo(503);
                assertThat(change.body()).contains("PHIG-5032");
                Thread.sleep(1000);
            } finally {
                database("resume", dir, System.getProperty("phigate.it.postgres.port"));
            }
            await(answers, a -> a.status() == 200, "a forwarded request after the database returned");
        } finally {
            running.set(false);
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
            load.shutdown();
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as("%s", a).isIn(200, 503));
        assertThat(answers).filteredOn(a -> a.status() == 503).allSatisfy(a -> {
            assertThat(a.fromBackend()).as("a refused request never reached the backend").isFalse();
            assertThat(a.body()).contains("PHIG-5032");
        });
        int firstRefused = answers.indexOf(answers.stream().filter(a -> a.status() == 503).findFirst().orElseThrow());
        int lastRefused = answers.lastIndexOf(answers.stream().filter(a -> a.status() == 503).reduce((a, b) -> b).orElseThrow());
        List<Answer> aroundTheOutage = answers.subList(Math.max(0, firstRefused - 100), Math.min(answers.size(), lastRefused + 100));
        for (Answer a : aroundTheOutage.stream().filter(x -> x.status() == 200).toList()) {
            assertThat(gateway.get(Gateway.ADMIN + "/api/audit/records?requestId=" + a.requestId(), auditorToken).body())
                    .as("the forwarded request %s has its record", a.requestId()).contains("\"decision\":\"FORWARD\"");
        }
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/verify", auditorToken).body()).contains("\"ok\":true");
        assertThat(gateway.get(Gateway.ADMIN + "/api/pools/outage-unrecorded", auditorToken).statusCode()).isEqualTo(404);
    }
}
