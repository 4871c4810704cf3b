// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.Objects;
import java.util.logging.Logger;
import org.phigate.identity.TokenRejection;
import org.phigate.identity.TokenVerifier.Result;

/**
 * Establishes who is calling (164.312(d)) from the request's bearer token, verified locally against the
 * issuer's keys ({@link BearerTokens}). A token signed with a key not yet known suspends the exchange (no I/O
 * thread waits) until the keys are refreshed, then is verified once more. A refusal is a 401 whose body says
 * no more than "no token" or "invalid token"; the precise reason is logged under its own code.
 */
final class AuthenticateHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(AuthenticateHandler.class.getName());
    private static final AttachmentKey<Boolean> KEYS_REFRESHED = AttachmentKey.create(Boolean.class);

    private final BearerTokens tokens;
    private final HttpHandler next;

    AuthenticateHandler(BearerTokens tokens, HttpHandler next) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** The bearer token of the request: exactly one Authorization header, scheme Bearer; else empty. */
    static String bearerToken(HeaderValues authorization) {
        return authorization == null || authorization.size() != 1 ? "" : BearerTokens.fromHeader(authorization.getFirst());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String token = bearerToken(exchange.getRequestHeaders().get(Headers.AUTHORIZATION));
        if (token.isEmpty()) {
            refuse(exchange, TokenRejection.MISSING);
            return;
        }
        Result result = tokens.verify(token);
        if (result instanceof Result.Verified verified) {
            exchange.putAttachment(DataPlaneAttachments.CALLER, verified.caller());
            next.handleRequest(exchange);
            return;
        }
        TokenRejection why = ((Result.Rejected) result).why();
        if (why == TokenRejection.UNKNOWN_KEY && exchange.getAttachment(KEYS_REFRESHED) == null) {
            exchange.putAttachment(KEYS_REFRESHED, Boolean.TRUE);
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> tokens.refreshKeys().whenComplete((k, e) ->
                    exchange.getIoThread().execute(() -> Connectors.executeRootHandler(this, exchange))));
            return;
        }
        refuse(exchange, why);
    }

    private static void refuse(HttpServerExchange exchange, TokenRejection why) {
        LOG.info(() -> why.code + " bearer token refused: " + why.reason + "; request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
        if (why == TokenRejection.MISSING) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"phigate\"");
            Problem.UNAUTHENTICATED.send(exchange);
        } else {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"phigate\", error=\"invalid_token\"");
            Problem.INVALID_TOKEN.send(exchange);
        }
    }
}
