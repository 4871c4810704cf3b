// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signing keys the chain tests control, published to the data plane through its own {@link IssuerKeys}
 * mechanism (the integration tests use a real Keycloak instead).
 */
final class TestTokens {

    static final String CLINICIAN_SUBJECT = "3c1f-clinician";
    static final OidcSettings SETTINGS = new OidcSettings("https://idp.test/realms/phigate", "phigate-gateway", "", Duration.ofSeconds(30));

    private final AtomicReference<RSAKey> signing = new AtomicReference<>(generate("key-1"));
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(signing.get().toPublicJWK()));

    IssuerKeys keys() {
        return new IssuerKeys(() -> CompletableFuture.completedFuture(published.get()), Duration.ZERO);
    }

    String clinician() throws JOSEException {
        return sign(claims(Instant.now().plusSeconds(300)).build());
    }

    /** A clinician's token that grants the given OAuth scopes (space-separated, as in the scope claim). */
    String withScopes(String scopes) throws JOSEException {
        return sign(claims(Instant.now().plusSeconds(300)).claim("scope", scopes).build());
    }

    /** A clinician's token of a SMART launch: the granted scopes and the launch patient ({@code patient} claim). */
    String smartLaunch(String scopes, String patient) throws JOSEException {
        return sign(claims(Instant.now().plusSeconds(300)).claim("scope", scopes).claim("patient", patient).build());
    }

    /** A token of another subject holding the given realm roles. */
    String withRoles(String subject, String... roles) throws JOSEException {
        return sign(claims(Instant.now().plusSeconds(300)).subject(subject).claim("realm_access", Map.of("roles", List.of(roles))).build());
    }

    String expired() throws JOSEException {
        return sign(claims(Instant.now().minusSeconds(120)).build());
    }

    /** Rotates the issuer's key, as Keycloak does, and signs with the new one. */
    String rotateAndSign() throws JOSEException {
        RSAKey next = generate("key-" + System.nanoTime());
        published.set(new JWKSet(List.of(signing.get().toPublicJWK(), next.toPublicJWK())));
        signing.set(next);
        return clinician();
    }

    private static JWTClaimsSet.Builder claims(Instant expiry) {
        return new JWTClaimsSet.Builder().issuer(SETTINGS.issuer()).audience(SETTINGS.audience()).subject(CLINICIAN_SUBJECT)
                .claim("azp", "phigate-ehr").claim("realm_access", Map.of("roles", List.of("clinician")))
                .issueTime(Date.from(Instant.now())).expirationTime(Date.from(expiry));
    }

    private String sign(JWTClaimsSet claims) throws JOSEException {
        RSAKey key = signing.get();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
