// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The documented limits of a request, enforced where the refusal can carry a PHIG code and be audited: the number of
 * header fields, the size of the header section, the number of query parameters, and methods that are never
 * forwarded (TRACE and TRACK echo the request, with its credentials, back to whoever sent it; CONNECT would make the
 * gateway a tunnel). The server's listener is set to accept a little more than these limits (configure.sh), so that
 * a request just over them reaches this stage instead of getting the container's bare 400.
 */
final class RequestLimitsHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(RequestLimitsHandler.class.getName());
    private static final Set<String> NEVER_FORWARDED = Set.of("TRACE", "TRACK", "CONNECT");

    /** The limits, from the system properties the setup scripts write, or their defaults. */
    record Limits(int maxHeaders, int maxHeaderBytes, int maxParameters) {
        static final Limits DEFAULT = new Limits(100, 16384, 1000);

        static Limits fromSystemProperties() {
            return new Limits(Integer.getInteger("phigate.listener.max-headers", DEFAULT.maxHeaders),
                    Integer.getInteger("phigate.listener.max-header-size", DEFAULT.maxHeaderBytes),
                    Integer.getInteger("phigate.listener.max-parameters", DEFAULT.maxParameters));
        }
    }

    private final Limits limits;
    private final HttpHandler next;

    RequestLimitsHandler(Limits limits, HttpHandler next) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<Problem> over = over(exchange);
        if (over.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        LOG.fine(() -> over.get().code + " request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID) + " refused: "
                + exchange.getRequestHeaders().size() + " headers, " + exchange.getQueryString().length() + " bytes of query");
        if (over.get() == Problem.METHOD_NOT_ALLOWED) {
            over.get().send(exchange, "PHIG-WAF-1006");
            return;
        }
        exchange.setPersistent(false);
        over.get().send(exchange);
    }

    private Optional<Problem> over(HttpServerExchange exchange) {
        if (NEVER_FORWARDED.contains(exchange.getRequestMethod().toString().toUpperCase(java.util.Locale.ROOT))) {
            return Optional.of(Problem.METHOD_NOT_ALLOWED);
        }
        int fields = 0;
        long bytes = exchange.getRequestURI().length() + exchange.getQueryString().length();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String value : values) {
                fields++;
                bytes += values.getHeaderName().length() + value.length() + 4;
            }
        }
        if (fields > limits.maxHeaders() || bytes > limits.maxHeaderBytes()) {
            return Optional.of(Problem.HEADERS_TOO_LARGE);
        }
        String query = exchange.getQueryString();
        if (!query.isEmpty()) {
            int parameters = 1;
            for (int i = 0; i < query.length(); i++) {
                if (query.charAt(i) == '&' && ++parameters > limits.maxParameters()) {
                    return Optional.of(Problem.TOO_MANY_PARAMETERS);
                }
            }
        }
        return Optional.empty();
    }
}
