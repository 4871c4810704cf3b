// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request the gateway's own id, in {@code X-Request-Id} on the response and towards the backend.
 * A client's {@code X-Request-Id} is not trusted as an id (it could collide with or forge another request's
 * audit trail): it is passed on only as {@code X-Client-Request-Id}, and only if it looks like an id.
 * Also turns a bodiless error status left by any later stage into a problem+json response.
 */
final class RequestIdHandler implements HttpHandler {

    static final HttpString REQUEST_ID = new HttpString("X-Request-Id");
    static final HttpString CLIENT_REQUEST_ID = new HttpString("X-Client-Request-Id");
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HttpHandler next;

    RequestIdHandler(HttpHandler next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String id = newId();
        exchange.putAttachment(DataPlaneAttachments.REQUEST_ID, id);
        exchange.putAttachment(DataPlaneAttachments.HAS_BODY, !exchange.isRequestComplete() || exchange.getRequestContentLength() > 0
                || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING));
        exchange.getResponseHeaders().put(REQUEST_ID, id);
        var headers = exchange.getRequestHeaders();
        String clients = headers.getFirst(REQUEST_ID);
        headers.remove(CLIENT_REQUEST_ID);
        if (clients != null && SAFE_ID.matcher(clients).matches()) {
            headers.put(CLIENT_REQUEST_ID, clients);
        }
        headers.put(REQUEST_ID, id);
        exchange.addDefaultResponseListener(ex -> {
            if (!ex.isResponseChannelAvailable() || ex.getStatusCode() < 400) {
                return false;
            }
            Problem.forStatus(ex.getStatusCode(), ex.getAttachment(DataPlaneAttachments.FORWARDED) != null).sendUnrecorded(ex);
            return true;
        });
        next.handleRequest(exchange);
    }

    /**
     * The time in milliseconds (48 bits) and 80 random bits, as 32 hex digits: unique without a shared counter or a
     * lock, and in time order, so that the audit store's index on request ids grows at its end instead of rewriting
     * pages all over the index on every write (with random ids, the main cost of storing a record in H2).
     */
    static String newId() {
        long high = (System.currentTimeMillis() << 16) | (ThreadLocalRandom.current().nextInt() & 0xffff);
        long low = ThreadLocalRandom.current().nextLong();
        char[] hex = new char[32];
        for (int i = 15; i >= 0; i--) {
            hex[i] = HEX[(int) (high & 0xf)];
            hex[i + 16] = HEX[(int) (low & 0xf)];
            high >>>= 4;
            low >>>= 4;
        }
        return new String(hex);
    }
}
