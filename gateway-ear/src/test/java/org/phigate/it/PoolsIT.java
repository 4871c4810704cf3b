// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Pool settings through the admin API on the real server: the backends' state is shown as JSON and as Prometheus
 * metrics, and a backend set to draining through the API takes no new requests while the pool keeps serving.
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
    void aBackendStoppedUnderLoadFailsNoRequest() throws Exception {
        FhirDemoServer stays = backend("failover-stays");
        FhirDemoServer goes = FhirDemoServer.start(0, gateway.pki().resolve("backend.p12"), gateway.password(), "failover-goes");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"it-failover": {"backends": ["https://127.0.0.1:%d", "https://127.0.0.1:%d"],
                                           "healthCheck": {"path": "/r4/metadata", "interval": "500ms", "timeout": "500ms"}}},
                 "routes": {"it-failover": {"prefix": "/it-failover/", "pool": "it-failover", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(stays.port(), goes.port()), ops()).statusCode()).isEqualTo(200);
        String token = ehr();
        java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(3);
        Instant end = Instant.now().plusSeconds(4);
        for (int t = 0; t < 3; t++) {
            clients.submit(() -> {
                for (int i = 0; i < 5_000 && Instant.now().isBefore(end); i++) {
                    try {
                        HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-failover/Patient", token);
                        if (r.statusCode() == 200) {
                            served.incrementAndGet();
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
        Thread.sleep(1_500);
        goes.close();
        clients.shutdown();
        assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(served.get()).isGreaterThan(50);
        java.util.regex.Matcher gone = java.util.regex.Pattern.compile("\\{[^{}]*\"url\":\"https://127.0.0.1:" + goes.port() + "\"[^{}]*}")
                .matcher(gateway.get(Gateway.ADMIN + "/api/backends", ops()).body());
        assertThat(gone.find()).isTrue();
        assertThat(gone.group()).containsPattern("\"state\":\"(ejected|unhealthy)\"");
    }
}
