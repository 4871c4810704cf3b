// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.ConduitFactory;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Cleans the headers that cross the gateway. Forwarding headers sent by the client are dropped, so that the
 * ones the backend sees ({@code X-Forwarded-For/-Proto/-Host/-Port}, set by the proxy) are the gateway's own;
 * hop-by-hop headers, and any header a {@code Connection} header names, are dropped in both directions;
 * {@code X-PHIGate-*} headers are the gateway's own in both directions, so any a client or a backend sends are
 * dropped. Header names with an underscore are dropped from requests: CGI, WSGI and PHP backends read
 * {@code X_PHIGate_Roles} as {@code X-PHIGate-Roles}. Request trailers are dropped: nothing inspected them.
 * <p>
 * A request whose {@code Connection} header names a header the gateway relies on end to end (framing, the host, the
 * credentials, the media type of the body, the request id, the gateway's own headers) is refused before anything
 * else reads it: dropping such a header as hop-by-hop would change how the body is framed or inspected after the
 * checks that relied on it.
 */
final class ForwardedHeadersHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(ForwardedHeadersHandler.class.getName());
    private static final List<HttpString> CLIENT_FORWARDING = List.of(Headers.FORWARDED, Headers.X_FORWARDED_FOR,
            Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_HOST, Headers.X_FORWARDED_PORT, Headers.X_FORWARDED_SERVER,
            new HttpString("X-Forwarded-Prefix"), new HttpString("X-Real-IP"), new HttpString("X-Original-URL"),
            new HttpString("X-Rewrite-URL"));
    private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            new HttpString("Proxy-Connection"), Headers.PROXY_AUTHORIZATION, Headers.TE, Headers.TRAILER, Headers.UPGRADE);
    private static final List<HttpString> RESPONSE_HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            new HttpString("Proxy-Connection"), Headers.TRAILER, Headers.UPGRADE);
    /** Headers that keep their meaning from the client to the backend and that the gateway's checks read. */
    static final Set<String> END_TO_END = Set.of("content-length", "transfer-encoding", "host", "authorization",
            "content-type", "content-encoding", "x-request-id");

    private static final String GATEWAY_PREFIX = "x-phigate-";
    private static final ConduitWrapper<StreamSourceConduit> WITHOUT_TRAILERS = ForwardedHeadersHandler::withoutTrailers;

    private final HttpHandler next;

    ForwardedHeadersHandler(HttpHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap request = exchange.getRequestHeaders();
        Optional<String> named = namedEndToEnd(request);
        if (named.isPresent()) {
            LOG.fine(() -> "PHIG-4003 request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID)
                    + ": its Connection header names " + named.get());
            exchange.setPersistent(false);
            Problem.CONNECTION_NAMES_END_TO_END.send(exchange);
            return;
        }
        CLIENT_FORWARDING.forEach(request::remove);
        remove(request, name -> isGateways(name) || name.indexOf('_') >= 0);
        stripHopByHop(request, HOP_BY_HOP);
        exchange.addRequestWrapper(WITHOUT_TRAILERS);
        exchange.addResponseCommitListener(ex -> {
            HeaderMap response = ex.getResponseHeaders();
            stripHopByHop(response, RESPONSE_HOP_BY_HOP);
            remove(response, ForwardedHeadersHandler::isGateways);
        });
        next.handleRequest(exchange);
    }

    /** The first header the gateway relies on end to end that a {@code Connection} header names, if any. */
    static Optional<String> namedEndToEnd(HeaderMap headers) {
        for (String name : connectionTokens(headers)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (END_TO_END.contains(lower) || isGateways(lower)) {
                return Optional.of(lower);
            }
        }
        return Optional.empty();
    }

    private static boolean isGateways(String name) {
        return name.regionMatches(true, 0, GATEWAY_PREFIX, 0, GATEWAY_PREFIX.length());
    }

    private static void remove(HeaderMap headers, java.util.function.Predicate<String> dropped) {
        List<HttpString> names = new ArrayList<>();
        for (HttpString name : headers.getHeaderNames()) {
            if (dropped.test(name.toString())) {
                names.add(name);
            }
        }
        names.forEach(headers::remove);
    }

    /**
     * Removes the headers named by {@code Connection} and the always hop-by-hop ones. A name the gateway relies on
     * end to end is kept: a request naming one has been refused, and a backend's response keeps its framing and its
     * request id.
     */
    static void stripHopByHop(HeaderMap headers, List<HttpString> always) {
        for (String name : connectionTokens(headers)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!END_TO_END.contains(lower) && !isGateways(lower)) {
                headers.remove(name);
            }
        }
        always.forEach(headers::remove);
    }

    private static List<String> connectionTokens(HeaderMap headers) {
        var connection = headers.get(Headers.CONNECTION);
        if (connection == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !name.equalsIgnoreCase("keep-alive")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The request body as it is, with the trailers that Undertow's parser attached dropped at its end. */
    private static StreamSourceConduit withoutTrailers(ConduitFactory<StreamSourceConduit> factory, HttpServerExchange exchange) {
        return new CountingSourceConduit(factory.create(), n -> { }, () -> {
            if (exchange.removeAttachment(HttpAttachments.REQUEST_TRAILERS) != null) {
                exchange.putAttachment(DataPlaneAttachments.SUSPECT, true);
            }
        });
    }
}
