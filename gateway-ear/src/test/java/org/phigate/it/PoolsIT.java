// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Pool settings through the admin API on the real server: the backends' state is shown as JSON and as Prometheus
 * metrics; a backend set to draining through the API takes no new requests while the pool keeps serving; a backend
 * stopped under load fails no request and takes requests again once it is back and passes its health check.
 */
class PoolsIT extends AgainstTheGateway {

    private static String pool(int first, int second, boolean drainSecond) {
        return """
                {"backends": ["https://127.0.0.1:%d", {"url": "https://127.0.0.1:%d", "draining": %s}],
                 "balancing": "least-outstanding",
                 "healthCheck": {"path": "/r4/metadata", "interval": "1s", "timeout": "1s"}}
                """.formatted(first, second, drainSecond);
    }

    @Test
    void theBackendsStateIsShownAndADrainedBackendTakesNoNewRequests() throws Exception {
        FhirDemoServer one = backend("pools-one");
        FhirDemoServer two = backend("pools-two");
        assertThat(gateway.put(Gateway.ADMIN + "/api/pools/it-pools", "application/json", pool(one.port(), two.port(), false), ops())
                .statusCode()).isIn(200, 201);
        assertThat(gateway.put(Gateway.ADMIN + "/api/routes/it-pools", "application/json", """
                {"prefix": "/it-pools/", "pool": "it-pools", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}
                """, ops()).statusCode()).isIn(200, 201);
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-pools/Patient", ehr());
            assertThat(r.statusCode()).isEqualTo(200);
            served.add(r.headers().firstValue("X-Backend-Instance").orElseThrow());
        }
        assertThat(served).containsExactlyInAnyOrder("pools-one", "pools-two");

        String state = gateway.get(Gateway.ADMIN + "/api/backends", ops()).body();
        assertThat(state).contains("\"name\":\"it-pools\"", "\"url\":\"https://127.0.0.1:" + two.port() + "\"", "\"state\":\"serving\"");
        assertThat(gateway.get(Gateway.ADMIN + "/api/backends", ehr()).statusCode()).as("the EHR client is no operator").isEqualTo(403);

        assertThat(gateway.put(Gateway.ADMIN + "/api/pools/it-pools", "application/json", pool(one.port(), two.port(), true), ops())
                .statusCode()).isEqualTo(200);
        Instant end = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(end)) {
            HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-pools/Patient", ehr());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Backend-Instance")).hasValue("pools-one");
        }
        String metrics = gateway.get(Gateway.ADMIN + "/api/metrics", ops()).body();
        assertThat(metrics).contains("phigate_backend_state{pool=\"it-pools\",backend=\"https://127.0.0.1:" + two.port() + "\",state=\"draining\"} 1",
                "phigate_backend_up{pool=\"it-pools\",backend=\"https://127.0.0.1:" + one.port() + "\"} 1",
                "phigate_backend_in_flight{pool=\"it-pools\",backend=\"https://127.0.0.1:" + two.port() + "\"} 0");
        assertThat(gateway.get(Gateway.ADMIN + "/api/pools/it-pools", ops()).body()).contains("\"draining\":true", "\"balancing\":\"least-outstanding\"");
    }

    @Test
    void aBackendStoppedUnderLoadFailsNoRequestAndServesAgainOnceBack() throws Exception {
        FhirDemoServer stays = backend("failover-stays");
        FhirDemoServer goes = FhirDemoServer.start(0, gateway.pki().resolve("backend.p12"), gateway.password(), "failover-goes");
        int goesPort = goes.port();
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"it-failover": {"backends": ["https://127.0.0.1:%d", "https://127.0.0.1:%d"],
                                           "healthCheck": {"path": "/r4/metadata", "interval": "500ms", "timeout": "500ms"},
                                           "ejection": {"baseTime": "1s", "maxTime": "2s"}}},
                 "routes": {"it-failover": {"prefix": "/it-failover/", "pool": "it-failover", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(stays.port(), goesPort), ops()).statusCode()).isEqualTo(200);
        String token = ehr();
        List<String> failures = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        Instant end = Instant.now().plusSeconds(45);
        for (int t = 0; t < 3; t++) {
            clients.submit(() -> {
                for (int i = 0; i < 20_000 && !stop.get() && Instant.now().isBefore(end); i++) {
                    try {
                        HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-failover/Patient", token);
                        if (r.statusCode() == 200) {
                            byBackend.computeIfAbsent(r.headers().firstValue("X-Backend-Instance").orElse("?"), k -> new AtomicInteger())
                                    .incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            });
        }
        FhirDemoServer back = null;
        try {
            Thread.sleep(1_500);
            goes.close();
            awaitState(goesPort, "\"state\":\"(ejected|unhealthy)\"", Duration.ofSeconds(5));
            int servedBeforeRestart = served(byBackend, "failover-goes");

            back = FhirDemoServer.start(goesPort, gateway.pki().resolve("backend.p12"), gateway.password(), "failover-goes");
            awaitState(goesPort, "\"state\":\"serving\"", Duration.ofSeconds(15));
            Instant deadline = Instant.now().plusSeconds(10);
            while (served(byBackend, "failover-goes") == servedBeforeRestart && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(served(byBackend, "failover-goes")).as("the restarted backend takes requests again").isGreaterThan(servedBeforeRestart);
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            if (back != null) {
                back.close();
            }
        }
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(served(byBackend, "failover-stays")).isGreaterThan(50);
    }

    private static int served(Map<String, AtomicInteger> byBackend, String backend) {
        return byBackend.getOrDefault(backend, new AtomicInteger()).get();
    }

    /** Waits until the admin API shows the backend on {@code port} with a state that matches {@code state}. */
    private void awaitState(int port, String state, Duration within) throws Exception {
        Pattern backend = Pattern.compile("\\{[^{}]*\"url\":\"https://127.0.0.1:" + port + "\"[^{}]*}");
        Instant deadline = Instant.now().plus(within);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Matcher m = backend.matcher(gateway.get(Gateway.ADMIN + "/api/backends", ops()).body());
            last = m.find() ? m.group() : "(not listed)";
            if (Pattern.compile(state).matcher(last).find()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("backend " + port + " not " + state + " within " + within + ": " + last);
    }
}
