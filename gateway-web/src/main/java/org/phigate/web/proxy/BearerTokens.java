// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.phigate.identity.Caller;
import org.phigate.identity.TokenVerifier;
import org.phigate.identity.TokenVerifier.Result;
import org.phigate.identity.VerifiedTokens;

/**
 * Bearer-token authentication as both planes use it: one verifier, one cache of the issuer's keys and one memory
 * of verified tokens per deployment. Made by {@link DataPlaneExtension} and published to the admin API under
 * {@link #ATTRIBUTE} in the servlet context. {@link #verify} never waits; {@link #refreshKeys} never blocks.
 */
public final class BearerTokens {

    /** The servlet-context attribute under which the deployment's instance is found. */
    public static final String ATTRIBUTE = BearerTokens.class.getName();
    static final int CACHED_TOKENS = 10_000;

    private final TokenVerifier verifier;
    private final VerifiedTokens verified;
    private final IssuerKeys keys;
    private final Clock clock;

    BearerTokens(OidcSettings oidc, IssuerKeys keys, Clock clock) {
        this.verifier = oidc.verifier();
        this.verified = new VerifiedTokens(CACHED_TOKENS, oidc.clockSkew());
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static BearerTokens of(OidcSettings oidc) {
        return new BearerTokens(oidc, IssuerKeys.of(oidc.issuer(), oidc.jwksUri()), Clock.systemUTC());
    }

    /** The token of an Authorization header value with scheme Bearer; empty for any other value or none. */
    public static String fromHeader(String authorization) {
        if (authorization == null) {
            return "";
        }
        String value = authorization.trim();
        return value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : "";
    }

    /** Verifies against the keys as they are now; a token verified before is looked up instead. */
    public Result verify(String token) {
        JWKSet current = keys.current();
        Instant now = clock.instant();
        Optional<Caller> known = verified.get(token, current, now);
        if (known.isPresent()) {
            return new Result.Verified(known.get());
        }
        Result result = verifier.verify(token, current, now);
        if (result instanceof Result.Verified ok) {
            verified.put(token, ok.caller(), current);
        }
        return result;
    }

    /** Fetches the issuer's keys again (at a bounded rate; see {@link IssuerKeys}); completes when they are in. */
    public CompletableFuture<?> refreshKeys() {
        return keys.refresh();
    }
}
