// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a bearer JWT against a snapshot of the issuer's keys: an allowlist of asymmetric algorithms
 * (no {@code none}, no HMAC, so a public key can never be used as a shared secret), a key of the issuer
 * chosen by {@code kid} whose type fits the algorithm, the signature, then issuer, audience, expiry and
 * not-before with a small clock skew. Parsing and signatures are Nimbus JOSE's; this class only decides.
 */
public final class TokenVerifier {

    public static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private final String issuer;
    private final String audience;
    private final Duration skew;

    public TokenVerifier(String issuer, String audience, Duration skew) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    /** The outcome: a caller, or the precise reason for refusing the token. */
    public sealed interface Result {
        record Verified(Caller caller) implements Result {
        }

        record Rejected(TokenRejection why) implements Result {
        }
    }

    public Result verify(String token, JWKSet keys, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return rejected(TokenRejection.MALFORMED);
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!ALLOWED.contains(algorithm)) {
            return rejected(TokenRejection.ALGORITHM_NOT_ALLOWED);
        }
        String kid = jwt.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (key == null || key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return rejected(TokenRejection.UNKNOWN_KEY);
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
            return rejected(TokenRejection.ALGORITHM_NOT_ALLOWED);
        }
        try {
            JWSVerifier verifier = verifier(algorithm, key);
            if (verifier == null) {
                return rejected(TokenRejection.ALGORITHM_NOT_ALLOWED);
            }
            if (!jwt.verify(verifier)) {
                return rejected(TokenRejection.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            return rejected(TokenRejection.BAD_SIGNATURE);
        }
        return checkClaims(claims, now);
    }

    private Result checkClaims(JWTClaimsSet claims, Instant now) {
        if (!issuer.equals(claims.getIssuer())) {
            return rejected(TokenRejection.WRONG_ISSUER);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            return rejected(TokenRejection.WRONG_AUDIENCE);
        }
        Date exp = claims.getExpirationTime();
        if (claims.getSubject() == null || exp == null) {
            return rejected(TokenRejection.MISSING_CLAIM);
        }
        if (exp.toInstant().plus(skew).isBefore(now)) {
            return rejected(TokenRejection.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            return rejected(TokenRejection.NOT_YET_VALID);
        }
        return new Result.Verified(new Caller(claims.getSubject(), clientId(claims), stringClaim(claims, "preferred_username"),
                realmRoles(claims), scopes(claims), exp.toInstant(), "", stringClaim(claims, "patient")));
    }

    private static JWSVerifier verifier(JWSAlgorithm algorithm, JWK key) throws JOSEException {
        if ((algorithm.equals(JWSAlgorithm.RS256) || algorithm.equals(JWSAlgorithm.PS256)) && key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (algorithm.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return new ECDSAVerifier(ec);
        }
        return null;
    }

    private static String clientId(JWTClaimsSet claims) {
        String azp = stringClaim(claims, "azp");
        return azp.isEmpty() ? stringClaim(claims, "client_id") : azp;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : "";
    }

    private static Set<String> realmRoles(JWTClaimsSet claims) {
        Object realmAccess = claims.getClaim("realm_access");
        if (realmAccess instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
            Set<String> result = new HashSet<>();
            roles.forEach(r -> {
                if (r instanceof String s) {
                    result.add(s);
                }
            });
            return result;
        }
        return Set.of();
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        String scope = stringClaim(claims, "scope");
        return scope.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(scope.trim().split("\\s+")));
    }

    private static Result rejected(TokenRejection why) {
        return new Result.Rejected(why);
    }
}
