// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Objects;

/**
 * Cleans the headers that cross the gateway. Forwarding headers sent by the client are dropped, so that the
 * ones the backend sees ({@code X-Forwarded-For/-Proto/-Host/-Port}, set by the proxy) are the gateway's own;
 * hop-by-hop headers, and any header a {@code Connection} header names, are dropped in both directions.
 */
final class ForwardedHeadersHandler implements HttpHandler {

    private static final List<HttpString> CLIENT_FORWARDING = List.of(Headers.FORWARDED, Headers.X_FORWARDED_FOR,
            Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_HOST, Headers.X_FORWARDED_PORT, Headers.X_FORWARDED_SERVER,
            new HttpString("X-Forwarded-Prefix"), new HttpString("X-Real-IP"), new HttpString("X-Original-URL"),
            new HttpString("X-Rewrite-URL"));
    private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            new HttpString("Proxy-Connection"), Headers.PROXY_AUTHORIZATION, Headers.TE, Headers.TRAILER, Headers.UPGRADE);
    private static final List<HttpString> RESPONSE_HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            new HttpString("Proxy-Connection"), Headers.TRAILER, Headers.UPGRADE);

    private static final String GATEWAY_PREFIX = "X-PHIGate-";

    private final HttpHandler next;

    ForwardedHeadersHandler(HttpHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap request = exchange.getRequestHeaders();
        CLIENT_FORWARDING.forEach(request::remove);
        removeGatewayHeaders(request);
        stripHopByHop(request, HOP_BY_HOP);
        exchange.addResponseCommitListener(ex -> stripHopByHop(ex.getResponseHeaders(), RESPONSE_HOP_BY_HOP));
        next.handleRequest(exchange);
    }

    /** Identity headers are the gateway's to set: any a client sends are dropped before authorization. */
    private static void removeGatewayHeaders(HeaderMap request) {
        java.util.List<HttpString> names = new java.util.ArrayList<>();
        for (HttpString name : request.getHeaderNames()) {
            if (name.length() >= GATEWAY_PREFIX.length() && name.toString().regionMatches(true, 0, GATEWAY_PREFIX, 0, GATEWAY_PREFIX.length())) {
                names.add(name);
            }
        }
        names.forEach(request::remove);
    }

    static void stripHopByHop(HeaderMap headers, List<HttpString> always) {
        var connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
            for (String value : connection) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                        headers.remove(name);
                    }
                }
            }
        }
        always.forEach(headers::remove);
    }
}
