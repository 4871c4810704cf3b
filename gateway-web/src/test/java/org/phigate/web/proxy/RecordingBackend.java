// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A backend over TLS that shows what reached it: the request line, every header and trailer (names in lower case),
 * and the body's length and SHA-256, as JSON; {@code /r4/_debug/fail} answers 500, as a backend a request can break. It answers with the response headers a hostile or careless backend
 * might send (an {@code X-PHIGate-*} header), so that the gateway's cleaning of responses can be seen.
 */
final class RecordingBackend implements AutoCloseable {

    static final HttpString GATEWAY_LOOKALIKE = new HttpString("X-PHIGate-Roles");

    private final Undertow server;
    private final AtomicInteger requests = new AtomicInteger();

    RecordingBackend(TestPki pki) throws Exception {
        server = Undertow.builder().addHttpsListener(0, "127.0.0.1", pki.backendServerTls())
                .setHandler(new BlockingHandler(this::handle)).build();
        server.start();
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** How many requests reached this backend. */
    int requests() {
        return requests.get();
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        requests.incrementAndGet();
        byte[] body = exchange.getInputStream().readAllBytes();
        if (exchange.getRequestPath().equals("/r4/_debug/fail")) {
            exchange.setStatusCode(500);
            exchange.getResponseSender().send("{\"failed\":true}");
            return;
        }
        Map<String, Object> seen = new java.util.LinkedHashMap<>();
        seen.put("method", exchange.getRequestMethod().toString());
        seen.put("target", exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString()));
        seen.put("headers", named(exchange.getRequestHeaders()));
        seen.put("trailers", named(exchange.getAttachment(HttpAttachments.REQUEST_TRAILERS)));
        seen.put("bodyLength", body.length);
        seen.put("bodySha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        String json = JSONObjectUtils.toJSONString(seen);
        exchange.getResponseHeaders().put(GATEWAY_LOOKALIKE, "gateway-admin");
        exchange.getResponseHeaders().put(new HttpString("Content-Type"), "application/json");
        exchange.getResponseSender().send(json);
    }

    /** Header name (lower case) to its values, joined by commas. */
    private static Map<String, Object> named(HeaderMap headers) {
        if (headers == null) {
            return Map.of();
        }
        return StreamSupport.stream(headers.spliterator(), false).collect(Collectors.toMap(
                (HeaderValues v) -> v.getHeaderName().toString().toLowerCase(Locale.ROOT), v -> String.join(",", v), (a, b) -> a + "," + b,
                java.util.TreeMap::new));
    }

    @Override
    public void close() {
        server.stop();
    }
}
