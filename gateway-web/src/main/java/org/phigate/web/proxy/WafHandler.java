// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.phigate.waf.control.Finding;
import org.phigate.waf.control.RequestParts;
import org.phigate.waf.control.WafPolicy;

/**
 * The WAF on the request line and headers, before the caller is authenticated: the framing (a Content-Length next
 * to a Transfer-Encoding, two Content-Lengths, a coding other than chunked: the ingredients of request smuggling),
 * then the path, the query, the headers and the cookies. Cheap enough for every request; the body is read later,
 * by {@link BodyInspectionHandler}, once the caller is known, so that no anonymous client can make the gateway
 * hold a body in memory.
 */
final class WafHandler implements HttpHandler {

    private final Inspections inspections;
    private final HttpHandler next;

    WafHandler(Inspections inspections, HttpHandler next) {
        this.inspections = Objects.requireNonNull(inspections, "inspections");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        WafPolicy policy = Inspections.policy(exchange);
        if (policy.mode() == WafPolicy.Mode.OFF || inspections.apply(exchange, decide(exchange, policy), policy)) {
            next.handleRequest(exchange);
        }
    }

    Optional<Finding> decide(HttpServerExchange exchange, WafPolicy policy) {
        HeaderMap headers = exchange.getRequestHeaders();
        Optional<String> framing = framing(headers);
        if (framing.isPresent()) {
            String target = framing.get().equals("PHIG-WAF-1003") ? "header:transfer-encoding" : "header:content-length";
            return Optional.of(new Finding(inspections.waf().rules().rule(framing.get()), target));
        }
        List<RequestParts.Header> list = new ArrayList<>(headers.size());
        for (HeaderValues values : headers) {
            String name = values.getHeaderName().toString();
            for (String value : values) {
                list.add(new RequestParts.Header(name, value));
            }
        }
        return inspections.waf().inspect(RequestParts.get(path(exchange), exchange.getQueryString(), list), policy);
    }

    /** The framing rule the headers break, if any. */
    static Optional<String> framing(HeaderMap headers) {
        HeaderValues contentLength = headers.get(Headers.CONTENT_LENGTH);
        HeaderValues transferEncoding = headers.get(Headers.TRANSFER_ENCODING);
        if (contentLength != null && contentLength.size() > 1) {
            return Optional.of("PHIG-WAF-1002");
        }
        if (contentLength != null && transferEncoding != null) {
            return Optional.of("PHIG-WAF-1001");
        }
        if (transferEncoding != null && (transferEncoding.size() > 1
                || !transferEncoding.getFirst().strip().toLowerCase(Locale.ROOT).equals("chunked"))) {
            return Optional.of("PHIG-WAF-1003");
        }
        return Optional.empty();
    }

    private static String path(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
