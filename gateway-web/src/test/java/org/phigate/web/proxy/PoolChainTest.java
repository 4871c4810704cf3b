// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.demo.FhirDemoServer;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/**
 * Pools that survive failures, on the whole chain in front of real HTTPS backends on loopback: a backend killed
 * under load fails no request and is taken back after its health check passes; a POST to a backend that dies
 * mid-request is one clean 502 and reaches no second backend; a pool at its limit answers 503 at once and keeps
 * no memory per refusal; backends added to and removed from a pool under load, or drained, fail nothing. Every load is bounded in time and count.
 */
class PoolChainTest {

    private static final TestPki PKI = TestPki.trusted();
    private static final TestTokens TOKENS = new TestTokens();
    private static final List<FhirDemoServer> servers = new CopyOnWriteArrayList<>();
    private static final List<DyingBackend> dying = new ArrayList<>();
    private static Undertow gateway;
    private static DataPlane plane;
    private static RouteTableFeed feed;
    private static HttpClient client;
    private static String base;
    private static int pairA;
    private static int pairB;
    private static int scaleE;
    private static String yaml;
    private static final TestJournal journal = TestJournal.counting();

    /** A TLS backend that reads one request, counts it, and closes the connection without answering. */
    private static final class DyingBackend implements AutoCloseable {
        final SSLServerSocket socket;
        final AtomicInteger received = new AtomicInteger();
        final Thread thread;

        DyingBackend() throws Exception {
            socket = (SSLServerSocket) PKI.backendServerTls().getServerSocketFactory().createServerSocket(0, 50,
                    java.net.InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        String line = in.readLine();
                        while (line != null && !line.isEmpty()) {
                            line = in.readLine();
                        }
                        if (line != null) {
                            received.incrementAndGet();
                        }
                    } catch (Exception closedOrHandshake) {
                        // the next connection
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static FhirDemoServer backend(int port, String name) throws Exception {
        FhirDemoServer server = FhirDemoServer.start(port, PKI.backendKeystore(), PKI.password(), name);
        servers.add(server);
        return server;
    }

    @BeforeAll
    static void start() throws Exception {
        pairA = backend(0, "a").port();
        pairB = backend(0, "b").port();
        int narrow = backend(0, "narrow").port();
        int drainC = backend(0, "c").port();
        int drainD = backend(0, "d").port();
        scaleE = backend(0, "e").port();
        dying.add(new DyingBackend());
        dying.add(new DyingBackend());
        yaml = """
                pools:
                  pair:
                    backends: [https://127.0.0.1:%d, https://127.0.0.1:%d]
                    healthCheck: {path: /r4/metadata, interval: 300ms, timeout: 300ms, healthyThreshold: 2, unhealthyThreshold: 2}
                    ejection: {consecutiveFailures: 2, baseTime: 500ms, maxTime: 2s}
                    slowStart: 0s
                  narrow: {backends: [https://127.0.0.1:%d], maxConcurrent: 2}
                  narrow-backend: {backends: [{url: "https://127.0.0.1:%d", maxConcurrent: 1}]}
                  dying: {backends: [https://127.0.0.1:%d, https://127.0.0.1:%d]}
                  drain: {backends: [https://127.0.0.1:%d, https://127.0.0.1:%d], balancing: least-outstanding}
                  scale: {backends: [https://127.0.0.1:%d]}
                routes:
                  pair: {prefix: /pair/, pool: pair, backendPath: /r4/, policy: {roles: [clinician]}}
                  narrow: {prefix: /narrow/, pool: narrow, backendPath: /r4/, policy: {roles: [clinician]}}
                  narrow-backend: {prefix: /narrow-backend/, pool: narrow-backend, backendPath: /r4/, policy: {roles: [clinician]}}
                  dying: {prefix: /dying/, pool: dying, backendPath: /r4/, requestTimeout: 5s, policy: {roles: [clinician]}}
                  drain: {prefix: /drain/, pool: drain, backendPath: /r4/, policy: {roles: [clinician]}}
                  scale: {prefix: /scale/, pool: scale, backendPath: /r4/, policy: {roles: [clinician]}}
                """.formatted(pairA, pairB, narrow, narrow, dying.get(0).port(), dying.get(1).port(), drainC, drainD, scaleE);
        feed = new RouteTableFeed();
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("pools.yaml", yaml)));
        plane = new DataPlane(PKI.backendTls(), new BearerTokens(TestTokens.SETTINGS, TOKENS.keys(), java.time.Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), java.util.Optional.of(journal.journal)).follow(feed);
        gateway = Undertow.builder().addHttpsListener(0, "127.0.0.1", PKI.serverTls()).setHandler(plane.handler()).build();
        gateway.start();
        base = "https://127.0.0.1:" + ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
        client = HttpClient.newBuilder().sslContext(PKI.clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop();
        plane.stopFollowing(feed);
        for (FhirDemoServer s : servers) {
            s.close();
        }
        for (DyingBackend d : dying) {
            d.close();
        }
    }

    private static HttpRequest.Builder request(String path) throws Exception {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKENS.clinician());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Four clients sending GETs until {@code stop}, at most 20 s and 20,000 requests; counts answers by status and backend. */
    private record Load(Map<String, AtomicInteger> byBackend, List<String> failures, AtomicBoolean stop, ExecutorService clients) {
        static Load start(String path) {
            Load load = new Load(new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>(), new AtomicBoolean(), Executors.newFixedThreadPool(4));
            Instant end = Instant.now().plusSeconds(20);
            AtomicInteger sent = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                load.clients.submit(() -> {
                    while (!load.stop.get() && Instant.now().isBefore(end) && sent.incrementAndGet() <= 20_000) {
                        try {
                            HttpResponse<String> r = get(path);
                            if (r.statusCode() != 200) {
                                load.failures.add(r.statusCode() + " " + r.body());
                            }
                            r.headers().firstValue("X-Backend-Instance").ifPresent(b ->
                                    load.byBackend.computeIfAbsent(b, k -> new AtomicInteger()).incrementAndGet());
                        } catch (Exception e) {
                            load.failures.add(e.toString());
                        }
                    }
                    return null;
                });
            }
            return load;
        }

        int served(String backend) {
            return byBackend.getOrDefault(backend, new AtomicInteger()).get();
        }

        void finish() throws Exception {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration within, String what) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void losingOneBackendUnderLoadFailsNoRequestAndItIsTakenBackAfterItsHealthyThreshold() throws Exception {
        Load load = Load.start("/pair/Patient");
        try {
            awaitTrue(() -> load.served("b") > 20, Duration.ofSeconds(10), "b serves");
            FhirDemoServer b = servers.stream().filter(s -> s.port() == pairB).findFirst().orElseThrow();
            b.close();
            servers.remove(b);
            awaitTrue(() -> backendState("pair", pairB).health(System.nanoTime()) != BackendState.Health.SERVING,
                    Duration.ofSeconds(5), "b is taken out");
            int servedByB = load.served("b");
            Thread.sleep(1_000);
            assertThat(load.served("b")).as("b takes no requests while it is down").isEqualTo(servedByB);

            backend(pairB, "b");
            awaitTrue(() -> load.served("b") > servedByB, Duration.ofSeconds(10), "b serves again");
        } finally {
            load.finish();
        }
        assertThat(load.failures()).as("failed requests").isEmpty();
    }

    private static BackendState backendState(String pool, int port) {
        return plane.backends().pool(pool).orElseThrow().backends().stream().filter(s -> s.uri.getPort() == port).findFirst().orElseThrow();
    }

    @Test
    void aPostToABackendThatDiesMidRequestIsOne502AndNeverSentTwiceWhileAGetTriesTheOtherBackend() throws Exception {
        HttpResponse<String> post = client.send(request("/dying/Observation").header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Observation\",\"status\":\"final\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(502);
        assertThat(post.body()).contains("\"code\":\"PHIG-5020\"");
        assertThat(dying.get(0).received.get() + dying.get(1).received.get()).as("backends that received the POST").isEqualTo(1);

        HttpResponse<String> read = get("/dying/Observation");
        assertThat(read.statusCode()).isEqualTo(502);
        assertThat(dying.get(0).received.get() + dying.get(1).received.get()).as("the GET went to the other backend too").isEqualTo(3);
    }

    @Test
    void aPoolAtItsLimitAnswers503AtOnceWithRetryAfter() throws Exception {
        for (String route : List.of("/narrow/", "/narrow-backend/")) {
            int limit = route.equals("/narrow/") ? 2 : 1;
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                slow.add(client.sendAsync(request(route + "_debug/slow?ms=1500").build(), HttpResponse.BodyHandlers.ofString()));
            }
            awaitTrue(() -> plane.backends().pool(route.substring(1, route.length() - 1)).orElseThrow().backends().get(0).inFlight.get() == limit,
                    Duration.ofSeconds(5), "the slow requests are in flight");

            long started = System.nanoTime();
            HttpResponse<String> refused = get(route + "Patient");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains(route.equals("/narrow/") ? "PHIG-5034" : "PHIG-5035");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(route.equals("/narrow/") ? "1" : "5");
            assertThat(millis).as("answered at once, not queued").isLessThan(1_000);
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(get(route + "Patient").statusCode()).as("served again once a slot is free").isEqualTo(200);
        }
    }

    /**
     * Requests refused at the limit cost nothing that stays: with both slots of the pool held, eight clients send
     * refused requests (at most 12,000 in 10 s, one token); the heap left after a full collection grows by less than
     * 200 bytes a request between a warm-up and the end, and no refused request waits.
     */
    @Test
    void refusalsAtTheLimitKeepMemoryFlat() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slow.add(client.sendAsync(request("/narrow/_debug/slow?ms=14000").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        PoolClient narrow = plane.backends().pool("narrow").orElseThrow();
        awaitTrue(() -> narrow.backends().get(0).inFlight.get() == 2, Duration.ofSeconds(5), "the slow requests hold both slots");

        Refusals warmUp = Refusals.send(2_000, Duration.ofSeconds(4));
        long before = retainedHeap();
        long auditedBefore = journal.appended.get();
        Refusals measured = Refusals.send(10_000, Duration.ofSeconds(6));
        long after = retainedHeap();
        System.out.printf("refusals at the limit: %d refused in the measured round; heap kept %d KiB before, %d KiB after%n",
                measured.refused.get(), before >> 10, after >> 10);

        assertThat(warmUp.other).as("answers other than 503 PHIG-5034").isEmpty();
        assertThat(measured.other).as("answers other than 503 PHIG-5034").isEmpty();
        assertThat(measured.refused.get()).isGreaterThan(1_000);
        assertThat(journal.appended.get() - auditedBefore).as("every refusal is audited").isGreaterThanOrEqualTo(measured.refused.get());
        assertThat(after - before).as("heap kept after %d refusals (before %d, after %d bytes)", measured.refused.get(), before, after)
                .isLessThan(200L * measured.refused.get());
        assertThat(narrow.backends().get(0).inFlight.get()).as("in flight at the backend").isEqualTo(2);
        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    /** Eight clients sending GETs that the narrow pool refuses, at most {@code count} of them and until {@code within} passes. */
    private record Refusals(AtomicInteger refused, List<String> other) {
        static Refusals send(int count, Duration within) throws Exception {
            Refusals r = new Refusals(new AtomicInteger(), new CopyOnWriteArrayList<>());
            HttpRequest refusedRequest = HttpRequest.newBuilder(URI.create(base + "/narrow/Patient")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + TOKENS.clinician()).build();
            AtomicInteger sent = new AtomicInteger();
            Instant end = Instant.now().plus(within);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 8; i++) {
                clients.submit(() -> {
                    while (Instant.now().isBefore(end) && sent.incrementAndGet() <= count) {
                        try {
                            HttpResponse<String> answer = client.send(refusedRequest, HttpResponse.BodyHandlers.ofString());
                            if (answer.statusCode() == 503 && answer.body().contains("PHIG-5034")) {
                                r.refused.incrementAndGet();
                            } else {
                                r.other.add(answer.statusCode() + " " + answer.body());
                            }
                        } catch (Exception e) {
                            r.other.add(e.toString());
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(within.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
            return r;
        }
    }

    /** Heap in use after full collections, once two in a row agree within 1 MiB (at most five tries). */
    private static long retainedHeap() throws InterruptedException {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 1 << 20) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    @Test
    void scalingAPoolUpAndDownUnderLoadFailsNothing() throws Exception {
        int scaleF = backend(0, "f").port();
        String single = "scale: {backends: [https://127.0.0.1:%d]}".formatted(scaleE);
        Load load = Load.start("/scale/_debug/slow?ms=50");
        try {
            awaitTrue(() -> load.served("e") > 10, Duration.ofSeconds(10), "e serves");
            publish(yaml.replace(single, "scale: {backends: [https://127.0.0.1:%d, https://127.0.0.1:%d]}".formatted(scaleE, scaleF)));
            awaitTrue(() -> load.served("f") > 10, Duration.ofSeconds(10), "the added backend f serves");

            BackendState e = plane.backends().pool("scale").orElseThrow().backends().get(0);
            publish(yaml.replace(single, "scale: {backends: [https://127.0.0.1:%d]}".formatted(scaleF)));
            assertThat(plane.backends().pool("scale").orElseThrow().backends()).extracting(b -> b.uri.getPort()).containsExactly(scaleF);
            awaitTrue(() -> e.inFlight.get() == 0, Duration.ofSeconds(5), "the removed backend e finishes its requests");
            int servedByE = load.served("e");
            Thread.sleep(500);
            assertThat(load.served("e")).as("the removed backend takes no new requests").isEqualTo(servedByE);
        } finally {
            load.finish();
            publish(yaml);
        }
        assertThat(load.failures()).as("failed requests").isEmpty();
    }

    private static void publish(String configuration) {
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("pools.yaml", configuration)));
    }

    @Test
    void drainingABackendUnderLoadFailsNothingAndItEndsWithNothingInFlight() throws Exception {
        Load load = Load.start("/drain/_debug/slow?ms=50");
        try {
            awaitTrue(() -> load.served("d") > 10 && load.served("c") > 10, Duration.ofSeconds(10), "both serve");
            String drained = yaml.replaceFirst("drain: \\{backends: \\[(https://127.0.0.1:\\d+), (https://127.0.0.1:\\d+)\\]",
                    "drain: {backends: [$1, {url: \"$2\", draining: true}]");
            publish(drained);
            BackendState d = plane.backends().pool("drain").orElseThrow().backends().get(1);
            assertThat(d.health(System.nanoTime())).isEqualTo(BackendState.Health.DRAINING);
            awaitTrue(() -> d.inFlight.get() == 0, Duration.ofSeconds(5), "d has nothing in flight");
            // The gateway ends an exchange before its client has read the answer: let the last answers of d arrive.
            Thread.sleep(300);
            int servedByD = load.served("d");
            Thread.sleep(500);
            assertThat(load.served("d")).as("d takes no new requests").isEqualTo(servedByD);
        } finally {
            load.finish();
            publish(yaml);
        }
        assertThat(load.failures()).as("failed requests").isEmpty();
    }
}
