// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.identity.TokenVerifier.Result;

/** Forged and flawed tokens, signed here with keys the test controls; the ITs do the same against Keycloak. */
class TokenVerifierTest {

    private static final String ISSUER = "https://idp.example/realms/phigate";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static RSAKey rsa;
    private static ECKey ec;
    private static RSAKey stranger;
    private static JWKSet published;
    private final TokenVerifier verifier = new TokenVerifier(ISSUER, "phigate-gateway", Duration.ofSeconds(30));

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        published = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of("account", "phigate-gateway")).subject("user-7")
                .expirationTime(Date.from(NOW.plusSeconds(300))).issueTime(Date.from(NOW)).claim("azp", "phigate-ehr")
                .claim("realm_access", Map.of("roles", List.of("clinician"))).claim("scope", "openid patient/Observation.read");
    }

    private static String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private Result verify(String token) {
        return verifier.verify(token, published, NOW);
    }

    private static Result rejected(TokenRejection why) {
        return new Result.Rejected(why);
    }

    @Test
    void aGoodTokenYieldsTheCaller() throws Exception {
        Result result = verify(rs256(claims().build()));

        assertThat(result).isInstanceOfSatisfying(Result.Verified.class, v -> {
            assertThat(v.caller().subject()).isEqualTo("user-7");
            assertThat(v.caller().clientId()).isEqualTo("phigate-ehr");
            assertThat(v.caller().roles()).containsExactly("clinician");
            assertThat(v.caller().scopes()).containsExactlyInAnyOrder("openid", "patient/Observation.read");
        });
    }

    @Test
    void ps256AndEs256AreAccepted() throws Exception {
        SignedJWT ps = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), claims().build());
        ps.sign(new RSASSASigner(rsa));
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        es.sign(new ECDSASigner(ec));

        assertThat(verify(ps.serialize())).isInstanceOf(Result.Verified.class);
        assertThat(verify(es.serialize())).isInstanceOf(Result.Verified.class);
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();
        String body = claims().build().toPayload().toBase64URL().toString();

        assertThat(verify(header + "." + body + ".")).isIn(rejected(TokenRejection.MALFORMED), rejected(TokenRejection.ALGORITHM_NOT_ALLOWED));
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKeyAsSecret = rsa.toPublicJWK().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(publicKeyAsSecret, Math.max(32, publicKeyAsSecret.length))));

        assertThat(verify(jwt.serialize())).isEqualTo(rejected(TokenRejection.ALGORITHM_NOT_ALLOWED));
    }

    @Test
    void aPayloadEditedAfterSigningIsRefused() throws Exception {
        String[] parts = rs256(claims().build()).split("\\.");
        String edited = claims().claim("realm_access", Map.of("roles", List.of("clinician", "gateway-admin"))).build()
                .toPayload().toBase64URL().toString();

        assertThat(verify(parts[0] + "." + edited + "." + parts[2])).isEqualTo(rejected(TokenRejection.BAD_SIGNATURE));
    }

    @Test
    void aTokenSignedByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims().build());
        jwt.sign(new RSASSASigner(stranger));

        assertThat(verify(jwt.serialize())).isEqualTo(rejected(TokenRejection.BAD_SIGNATURE));
    }

    @Test
    void anUnknownKidIsReportedSoTheKeysCanBeRefreshed() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rotated-2").build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));

        assertThat(verify(jwt.serialize())).isEqualTo(rejected(TokenRejection.UNKNOWN_KEY));
    }

    @Test
    void anRsaAlgorithmNamingAnEcKeyIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));

        assertThat(verify(jwt.serialize())).isEqualTo(rejected(TokenRejection.ALGORITHM_NOT_ALLOWED));
    }

    @Test
    void expiryAndNotBeforeHonourTheSkew() throws Exception {
        assertThat(verify(rs256(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build())))
                .isEqualTo(rejected(TokenRejection.EXPIRED));
        assertThat(verify(rs256(claims().expirationTime(Date.from(NOW.minusSeconds(29))).build())))
                .isInstanceOf(Result.Verified.class);
        assertThat(verify(rs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build())))
                .isEqualTo(rejected(TokenRejection.NOT_YET_VALID));
    }

    @Test
    void issuerAudienceAndRequiredClaimsAreChecked() throws Exception {
        assertThat(verify(rs256(claims().issuer("https://idp.example/realms/other").build())))
                .isEqualTo(rejected(TokenRejection.WRONG_ISSUER));
        assertThat(verify(rs256(claims().audience("account").build()))).isEqualTo(rejected(TokenRejection.WRONG_AUDIENCE));
        assertThat(verify(rs256(claims().subject(null).build()))).isEqualTo(rejected(TokenRejection.MISSING_CLAIM));
        assertThat(verify("not.a.jwt")).isEqualTo(rejected(TokenRejection.MALFORMED));
    }
}
