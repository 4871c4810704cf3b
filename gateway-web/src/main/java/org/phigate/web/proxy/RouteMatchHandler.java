// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.CanonicalPathUtils;
import io.undertow.util.Headers;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.phigate.route.control.RouteMatch;
import org.phigate.route.control.RouteTable;

/**
 * Matches the request against the current {@link RouteTable} (default deny: no route, 404) and rewrites the
 * request target to the route's backend path. The route is chosen on the decoded, canonical path, and the
 * raw path is forwarded; a raw target that the backend could read differently ({@link RequestTarget}: bytes
 * RFC 3986 does not allow, dot or empty segments, encoded slashes or backslashes, path parameters) or an encoded
 * prefix is refused, whatever the route's WAF mode, so that the gateway and the backend always agree on which
 * resource is asked for. The raw form is checked, not only the decoded one: WildFly canonicalises the decoded path
 * before the gateway sees it, and forwards the raw one.
 */
final class RouteMatchHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(RouteMatchHandler.class.getName());

    private final Supplier<RouteTable> routes;
    private final HttpHandler next;

    RouteMatchHandler(Supplier<RouteTable> routes, HttpHandler next) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** What to do with a request: forward it along a route, or refuse it with a problem. */
    sealed interface Decision {
        record Forward(RouteMatch.Matched match, String backendTarget) implements Decision {
        }

        /** @param reason the rule broken, shown with the problem; {@code allow} the methods a 405 names */
        record Refuse(Problem problem, String reason, String allow) implements Decision {
        }
    }

    static Decision decide(RouteTable table, String decodedPath, String rawPath, String rawQuery, String method) {
        java.util.Optional<String> broken = RequestTarget.broken(rawPath, rawQuery);
        if (broken.isPresent()) {
            return new Decision.Refuse(Problem.BAD_PATH, broken.get(), null);
        }
        if (!decodedPath.equals(CanonicalPathUtils.canonicalize(decodedPath))) {
            return new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null);
        }
        RouteMatch match = table.match(decodedPath, method);
        if (match instanceof RouteMatch.Matched matched) {
            String prefix = matched.route().prefix();
            if (!rawPath.startsWith(prefix) && !rawPath.equals(prefix.substring(0, prefix.length() - 1))) {
                return new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null);
            }
            String rawRemainder = rawPath.length() > prefix.length() ? rawPath.substring(prefix.length()) : "";
            return new Decision.Forward(matched, matched.route().backendPath() + rawRemainder);
        }
        if (match instanceof RouteMatch.MethodNotAllowed refused) {
            return new Decision.Refuse(Problem.METHOD_NOT_ALLOWED, "PHIG-WAF-1006", String.join(", ", new java.util.TreeSet<>(refused.allowed())));
        }
        return new Decision.Refuse(Problem.NO_ROUTE, null, null);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Decision decision = decide(routes.get(), exchange.getRelativePath(), rawPath(exchange), exchange.getQueryString(),
                exchange.getRequestMethod().toString());
        if (decision instanceof Decision.Forward forward) {
            exchange.putAttachment(DataPlaneAttachments.ROUTE, forward.match());
            exchange.setRequestURI(forward.backendTarget(), false);
            exchange.setResolvedPath("");
            next.handleRequest(exchange);
            return;
        }
        Decision.Refuse refuse = (Decision.Refuse) decision;
        LOG.fine(() -> refuse.problem().code + " " + refuse.reason() + " " + exchange.getRequestMethod() + " refused, request "
                + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
        if (refuse.allow() != null) {
            exchange.getResponseHeaders().put(Headers.ALLOW, refuse.allow());
        }
        refuse.problem().send(exchange, refuse.reason());
    }

    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int authority = uri.indexOf("//");
            int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
            return path < 0 ? "/" : uri.substring(path);
        }
        return uri;
    }
}
