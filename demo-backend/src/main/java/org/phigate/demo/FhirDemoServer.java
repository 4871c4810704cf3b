// SPDX-License-Identifier: Apache-2.0
package org.phigate.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The sample backend of the demo and the tests: FHIR R4-style JSON over HTTPS (TLS 1.2+), synthetic data only.
 * Every response names the instance in {@code X-Backend-Instance}, so load balancing can be seen.
 * {@code /r4/_debug/echo} shows the request as the backend received it (headers included, the body as its length and
 * SHA-256) and
 * {@code /r4/_debug/slow?ms=N} answers late, for timeout tests.
 */
public final class FhirDemoServer implements AutoCloseable {

    private final HttpsServer server;
    private final String instance;
    private final AtomicLong handled = new AtomicLong();

    private FhirDemoServer(HttpsServer server, String instance) {
        this.server = server;
        this.instance = instance;
    }

    /** Starts on 127.0.0.1; port 0 picks a free port. */
    public static FhirDemoServer start(int port, Path keystore, char[] password, String instance)
            throws IOException, GeneralSecurityException {
        return start("127.0.0.1", port, keystore, password, instance);
    }

    /** Starts on a loopback address of the caller's choice; port 0 picks a free port. */
    public static FhirDemoServer start(String loopback, int port, Path keystore, char[] password, String instance)
            throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(loopback, port), 64);
        SSLContext tls = tls(keystore, password);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                var p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        FhirDemoServer demo = new FhirDemoServer(server, instance);
        server.createContext("/", demo::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return demo;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests this server has answered (health checks included): what got through TLS to it. */
    public long requests() {
        return handled.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static SSLContext tls(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private void handle(HttpExchange exchange) throws IOException {
        handled.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            exchange.getResponseHeaders().set("X-Backend-Instance", instance);
            if (path.equals("/r4/_debug/echo")) {
                respond(exchange, 200, echo(exchange, body));
            } else if (path.equals("/r4/_debug/slow")) {
                sleep(exchange.getRequestURI().getQuery());
                respond(exchange, 200, "{\"slow\":true}");
            } else if (path.equals("/r4/metadata")) {
                respond(exchange, 200, "{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"fhirVersion\":\"4.0.1\",\"kind\":\"instance\"}");
            } else if (path.equals("/r4/Patient") && method.equals("GET")) {
                respond(exchange, 200, SyntheticRecords.bundle(SyntheticRecords.PATIENTS.stream().map(SyntheticRecords.Patient::json).toList()));
            } else if (path.equals("/r4/Patient") && method.equals("POST")) {
                respond(exchange, 201, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"information\",\"code\":\"informational\"}]}");
            } else if (path.startsWith("/r4/Patient/")) {
                String id = path.substring("/r4/Patient/".length());
                SyntheticRecords.patient(id).ifPresentOrElse(
                        p -> respondQuietly(exchange, 200, p.json()),
                        () -> respondQuietly(exchange, 404, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"not-found\"}]}"));
            } else if (path.equals("/r4/Observation")) {
                respond(exchange, 200, SyntheticRecords.bundle(SyntheticRecords.OBSERVATIONS.stream().map(SyntheticRecords.Observation::json).toList()));
            } else {
                respond(exchange, 404, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"not-found\"}]}");
            }
        }
    }

    private static String echo(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        String headerJson = headers.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":[" + e.getValue().stream().map(FhirDemoServer::quote).collect(Collectors.joining(",")) + "]")
                .collect(Collectors.joining(","));
        return "{\"method\":" + quote(exchange.getRequestMethod()) + ",\"path\":" + quote(exchange.getRequestURI().getRawPath())
                + ",\"query\":" + quote(String.valueOf(exchange.getRequestURI().getRawQuery())) + ",\"headers\":{" + headerJson + "}"
                + ",\"bodyLength\":" + body.length + ",\"bodySha256\":" + quote(sha256(body)) + "}";
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void sleep(String query) {
        long ms = 1000;
        if (query != null && query.startsWith("ms=")) {
            ms = Math.min(60_000, Long.parseLong(query.substring(3)));
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respondQuietly(HttpExchange exchange, int status, String json) {
        try {
            respond(exchange, status, json);
        } catch (IOException e) {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code java -jar phigate-demo-backend.jar PORT KEYSTORE.p12 PASSWORD_FILE INSTANCE_NAME} */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FhirDemoServer PORT KEYSTORE.p12 PASSWORD_FILE INSTANCE_NAME");
            System.exit(2);
        }
        char[] password = Files.readString(Path.of(args[2])).trim().toCharArray();
        FhirDemoServer server = start(Integer.parseInt(args[0]), Path.of(args[1]), password, args[3]);
        System.out.println("PHIG-0900 demo FHIR backend " + args[3] + " listening on https://127.0.0.1:" + server.port() + "/r4/");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
