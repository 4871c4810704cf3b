// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Logger;
import org.phigate.identity.Caller;
import org.phigate.identity.TokenRejection;
import org.phigate.identity.TokenVerifier;
import org.phigate.identity.TokenVerifier.Result;
import org.phigate.identity.VerifiedTokens;

/**
 * Establishes who is calling (164.312(d)) from the request's bearer token, verified locally against the
 * issuer's keys (a token already verified is looked up, see {@link VerifiedTokens}). A token signed with a key not yet known suspends the exchange (no I/O thread waits) until
 * the keys are refreshed, then is verified once more. A refusal is a 401 whose body says no more than
 * "no token" or "invalid token"; the precise reason is logged under its own code.
 */
final class AuthenticateHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(AuthenticateHandler.class.getName());
    private static final AttachmentKey<Boolean> KEYS_REFRESHED = AttachmentKey.create(Boolean.class);

    static final int CACHED_TOKENS = 10_000;

    private final TokenVerifier verifier;
    private final VerifiedTokens verified;
    private final IssuerKeys keys;
    private final Clock clock;
    private final HttpHandler next;

    AuthenticateHandler(TokenVerifier verifier, VerifiedTokens verified, IssuerKeys keys, Clock clock, HttpHandler next) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.verified = Objects.requireNonNull(verified, "verified");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** The bearer token of the request: exactly one Authorization header, scheme Bearer; else empty. */
    static String bearerToken(HeaderValues authorization) {
        if (authorization == null || authorization.size() != 1) {
            return "";
        }
        String value = authorization.getFirst().trim();
        if (value.length() < 8 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return "";
        }
        return value.substring(7).trim();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String token = bearerToken(exchange.getRequestHeaders().get(Headers.AUTHORIZATION));
        if (token.isEmpty()) {
            refuse(exchange, TokenRejection.MISSING);
            return;
        }
        JWKSet current = keys.current();
        Instant now = clock.instant();
        Optional<Caller> known = verified.get(token, current, now);
        if (known.isPresent()) {
            exchange.putAttachment(DataPlaneAttachments.CALLER, known.get());
            next.handleRequest(exchange);
            return;
        }
        Result result = verifier.verify(token, current, now);
        if (result instanceof Result.Verified ok) {
            verified.put(token, ok.caller(), current);
            exchange.putAttachment(DataPlaneAttachments.CALLER, ok.caller());
            next.handleRequest(exchange);
            return;
        }
        TokenRejection why = ((Result.Rejected) result).why();
        if (why == TokenRejection.UNKNOWN_KEY && exchange.getAttachment(KEYS_REFRESHED) == null) {
            exchange.putAttachment(KEYS_REFRESHED, Boolean.TRUE);
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> keys.refresh().whenComplete((k, e) ->
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
