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
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.phigate.identity.Caller;
import org.phigate.identity.CertificateRejection;
import org.phigate.identity.PresentedCertificate;
import org.phigate.identity.TokenRejection;
import org.phigate.identity.TokenVerifier.Result;
import org.phigate.policy.AccessPolicy;
import org.phigate.route.control.RouteTable;

/**
 * Establishes who is calling (164.312(d)) from the request's bearer token, verified locally against the
 * issuer's keys ({@link BearerTokens}), and from the connection's client certificate, looked up among the
 * registered service identities of the current {@link RouteTable} ({@link PresentedCertificate}). Where the
 * route's policy admits service identities and asks nothing a token would show, the certificate alone suffices.
 * A token signed with a key not yet known suspends the exchange (no I/O thread waits) until the keys are
 * refreshed, then is verified once more. A refusal is a 401 whose body says no more than "no credentials",
 * "invalid token" or "certificate not accepted"; the precise reason is logged under its own code.
 */
final class AuthenticateHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(AuthenticateHandler.class.getName());
    private static final AttachmentKey<Boolean> KEYS_REFRESHED = AttachmentKey.create(Boolean.class);

    private final BearerTokens tokens;
    private final Supplier<RouteTable> registry;
    private final HttpHandler next;

    AuthenticateHandler(BearerTokens tokens, Supplier<RouteTable> registry, HttpHandler next) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** The bearer token of the request: exactly one Authorization header, scheme Bearer; else empty. */
    static String bearerToken(HeaderValues authorization) {
        return authorization == null || authorization.size() != 1 ? "" : BearerTokens.fromHeader(authorization.getFirst());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<AccessPolicy> policy = exchange.getAttachment(DataPlaneAttachments.ROUTE).route().policy();
        boolean admitsIdentities = policy.map(p -> !p.identities().isEmpty()).orElse(false);
        PresentedCertificate certificate = PresentedCertificate.of(ClientCertificates.fingerprint(exchange),
                registry.get()::identityWithFingerprint, admitsIdentities);
        if (certificate instanceof PresentedCertificate.Refused refused) {
            refuse(exchange, refused.why());
            return;
        }
        Optional<String> identity = certificate instanceof PresentedCertificate.Identity known ? Optional.of(known.name()) : Optional.empty();
        String token = bearerToken(exchange.getRequestHeaders().get(Headers.AUTHORIZATION));
        if (token.isEmpty()) {
            if (identity.isPresent() && admitsIdentities && !policy.get().needsToken()) {
                exchange.putAttachment(DataPlaneAttachments.CALLER, Caller.service(identity.get()));
                next.handleRequest(exchange);
                return;
            }
            refuse(exchange, TokenRejection.MISSING);
            return;
        }
        Result result = tokens.verify(token);
        if (result instanceof Result.Verified verified) {
            exchange.putAttachment(DataPlaneAttachments.CALLER,
                    identity.map(verified.caller()::withServiceIdentity).orElse(verified.caller()));
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

    private static void refuse(HttpServerExchange exchange, CertificateRejection why) {
        LOG.info(() -> why.code + " client certificate refused: " + why.reason + "; request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"phigate\"");
        Problem.CERTIFICATE_NOT_ACCEPTED.sendWithPrivateReason(exchange, why.code);
    }

    private static void refuse(HttpServerExchange exchange, TokenRejection why) {
        LOG.info(() -> why.code + " bearer token refused: " + why.reason + "; request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID));
        if (why == TokenRejection.MISSING) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"phigate\"");
            Problem.UNAUTHENTICATED.send(exchange);
        } else {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"phigate\", error=\"invalid_token\"");
            Problem.INVALID_TOKEN.sendWithPrivateReason(exchange, why.code);
        }
    }
}
