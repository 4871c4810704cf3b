// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The server process is killed (SIGKILL) in the middle of a load: every response a client received before the
 * kill has its audit record after the restart, and the chain verifies, on each store: the embedded H2 of the run
 * command and PostgreSQL. Arquillian's managed container cannot survive a killed server, so this test runs the
 * WildFly itself (standalone.sh, the EAR in deployments/), in a Failsafe execution of its own per store after the
 * Arquillian ones. The load is bounded: four client
 * threads on loopback, at most 15 s and 40,000 requests.
 */
class KillNineIT {

    private static final Path HOME = Path.of(System.getProperty("jboss.home", "target/no-server"));
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(4);
    private static final int MAX_REQUESTS = 40_000;
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([^\"]+)\"");
    private static final Pattern DECISION = Pattern.compile("\"decision\":\"([A-Z]+)\"");
    private static Gateway gateway;
    private static Keycloak keycloak;
    private static FhirDemoServer backend;
    private static Process server;
    private static int starts;

    @BeforeAll
    static void start() throws Exception {
        gateway = new Gateway();
        keycloak = new Keycloak();
        Files.copy(Path.of(System.getProperty("phigate.ear")), HOME.resolve("standalone/deployments/phigate.ear"), StandardCopyOption.REPLACE_EXISTING);
        server = startServer();
        backend = FhirDemoServer.start(0, gateway.pki().resolve("backend.p12"), gateway.password(), "kill-nine");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"kill-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-kill": {"prefix": "/it-kill/", "pool": "kill-pool", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            Optional<ProcessHandle> java = javaOf(server);
            java.ifPresent(ProcessHandle::destroy);
            if (java.isPresent()) {
                java.get().onExit().get(60, TimeUnit.SECONDS);
            }
            server.waitFor(10, TimeUnit.SECONDS);
        }
        for (String marker : new String[] {"", ".deployed", ".failed", ".isdeploying"}) {
            Files.deleteIfExists(HOME.resolve("standalone/deployments/phigate.ear" + marker));
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static String ops() throws Exception {
        return keycloak.clientToken("phigate", "phigate-ops", "opsSecret");
    }

    private static Process startServer() throws Exception {
        starts++;
        File log = HOME.resolve("standalone/log/kill-nine-" + starts + ".out").toFile();
        ProcessBuilder builder = new ProcessBuilder("bash", HOME.resolve("bin/standalone.sh").toString(),
                "-Dphigate.config=" + System.getProperty("phigate.it.config"))
                .redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("JAVA_OPTS", "-Xms256m -Xmx1g");
        Process started = builder.start();
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> health = gateway.get(Gateway.ADMIN + "/api/health");
                if (health.statusCode() == 200 && health.body().contains("\"storeUp\":true")) {
                    return started;
                }
            } catch (java.io.IOException notYet) {
                // the server is still starting
            }
            if (!started.isAlive()) {
                throw new AssertionError("WildFly exited while starting; see " + log);
            }
            Thread.sleep(250);
        }
        javaOf(started).ifPresent(ProcessHandle::destroyForcibly);
        started.destroyForcibly();
        throw new AssertionError("the gateway did not become healthy within 180 s (stopped again, so it holds no port); see " + log);
    }

    /** standalone.sh runs the server as its child java process: that is the process to kill. */
    private static Optional<ProcessHandle> javaOf(Process launcher) {
        return launcher.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    }

    /**
     * Request id to decision of the route's access records, read as an auditor would (the export of the admin API),
     * so that the test holds for every store.
     */
    private static Map<String, String> decisionsSince(Instant from) throws Exception {
        HttpResponse<String> export = gateway.get(Gateway.ADMIN + "/api/audit/export?format=jsonl&from=" + from, ops());
        assertThat(export.statusCode()).as("the audit export answers").isEqualTo(200);
        Map<String, String> decisions = new HashMap<>();
        for (String line : export.body().split("\n")) {
            Matcher id = REQUEST_ID.matcher(line);
            Matcher decision = DECISION.matcher(line);
            if (line.contains("\"route\":\"it-kill\"") && id.find() && decision.find()) {
                decisions.put(id.group(1), decision.group(1));
            }
        }
        return decisions;
    }

    @Test
    void everyResponseReceivedBeforeTheKillHasItsRecordAfterTheRestart() throws Exception {
        String token = keycloak.clientToken("phigate", "phigate-ehr", "ehrSecret");
        Map<String, Integer> received = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        Instant loadStart = Instant.now();
        Instant end = loadStart.plusSeconds(15);
        for (int t = 0; t < 4; t++) {
            boolean withToken = t != 3;
            clients.submit(() -> {
                while (!stop.get() && Instant.now().isBefore(end) && sent.incrementAndGet() <= MAX_REQUESTS) {
                    try {
                        HttpResponse<String> r = withToken ? gateway.get(Gateway.DATA + "/it-kill/Patient/p-1003", token)
                                : gateway.get(Gateway.DATA + "/it-kill/Patient/p-1003");
                        r.headers().firstValue("X-Request-Id").ifPresent(id -> received.put(id, r.statusCode()));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        return null;
                    }
                }
                return null;
            });
        }
        Thread.sleep(LOAD_BEFORE_KILL.toMillis());
        ProcessHandle java = javaOf(server).orElseThrow();
        int beforeKill = received.size();
        java.destroyForcibly();
        java.onExit().get(30, TimeUnit.SECONDS);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        server.waitFor(10, TimeUnit.SECONDS);
        Map<String, Integer> responses = new HashMap<>(received);
        assertThat(beforeKill).as("the load was running when the server was killed").isGreaterThan(50);
        assertThat(failed.get()).as("the clients saw the kill").isPositive();

        server = startServer();

        Map<String, String> decisions = decisionsSince(loadStart.minusSeconds(5));
        List<String> missing = new ArrayList<>();
        responses.forEach((id, status) -> {
            String expected = status == 200 ? "FORWARD" : "REFUSE";
            if (!expected.equals(decisions.get(id))) {
                missing.add(id + " (" + status + ")");
            }
        });
        System.out.printf("kill -9: %d responses received (%d forwarded, %d refused) before the kill; %d records after the restart%n",
                responses.size(), responses.values().stream().filter(st -> st == 200).count(),
                responses.values().stream().filter(st -> st != 200).count(), decisions.size());
        assertThat(missing).as("responses without their audit record").isEmpty();
        assertThat(responses.values()).contains(200, 401);
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/verify", ops()).body()).contains("\"ok\":true");
        HttpResponse<String> after = gateway.get(Gateway.DATA + "/it-kill/Patient/p-1003", token);
        assertThat(after.statusCode()).as("the gateway serves again and its chain goes on").isEqualTo(200);
    }
}
