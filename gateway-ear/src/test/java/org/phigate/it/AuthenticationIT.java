// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/** Who may call what, with tokens from a real Keycloak through the real EAR over real TLS. */
class AuthenticationIT extends AgainstTheGateway {

    private static FhirDemoServer backend;

    @BeforeAll
    static void routes() throws Exception {
        backend = backend("auth-it");
        gateway.writeConfiguration("""
                pools:
                  it-auth: {backends: ["https://127.0.0.1:%d"]}
                routes:
                  it-clinical: {prefix: /it-clinical/, pool: it-auth, backendPath: /r4/, policy: {roles: [clinician]}}
                  it-admin-only: {prefix: /it-admin-only/, pool: it-auth, backendPath: /r4/, policy: {roles: [gateway-admin]}}
                  it-ehr-only: {prefix: /it-ehr-only/, pool: it-auth, backendPath: /r4/, policy: {clients: [phigate-ehr]}}
                  it-smart: {prefix: /it-smart/, pool: it-auth, backendPath: /r4/, policy: {roles: [clinician], smart: true}}
                """.formatted(backend.port()));
    }

    private static HttpResponse<String> call(String route, String token) throws Exception {
        return gateway.get(Gateway.DATA + "/" + route + "/Patient", token);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains(code).doesNotContain("Bundle");
    }

    @Test
    void aClientCredentialsTokenOpensWhatThePolicyAllowsAndNothingElse() throws Exception {
        String token = ehr();

        assertThat(call("it-clinical", token).statusCode()).isEqualTo(200);
        assertThat(call("it-ehr-only", token).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = call("it-admin-only", token);
        assertRefused(denied, 403, "PHIG-4030");
        assertThat(denied.body()).contains("\"reason\":\"PHIG-4032\"");
    }

    @Test
    void theOpsServiceAccountIsAnAdminNotAClinician() throws Exception {
        String token = ops();

        assertThat(call("it-admin-only", token).statusCode()).isEqualTo(200);
        assertRefused(call("it-clinical", token), 403, "PHIG-4032");
        assertRefused(call("it-ehr-only", token), 403, "PHIG-4033");
    }

    @Test
    void aClinicianUsersTokenWorksThroughTheClinicianApp() throws Exception {
        String token = keycloak.userToken("phigate", "phigate-clinician-app", "clinician", "clinicianPassword");

        assertThat(call("it-clinical", token).statusCode()).isEqualTo(200);
        assertRefused(call("it-ehr-only", token), 403, "PHIG-4033");
    }

    @Test
    void patientObservationReadMayReadTheLaunchPatientsObservationsButNotWriteThemNorReadConditions() throws Exception {
        String token = keycloak.userToken("phigate", "phigate-clinician-app", "clinician", "clinicianPassword",
                "openid patient/Observation.read");

        assertThat(gateway.get(Gateway.DATA + "/it-smart/Observation?patient=p-1003", token).statusCode()).isEqualTo(200);
        assertRefused(gateway.get(Gateway.DATA + "/it-smart/Observation", token), 403, "PHIG-4303");
        assertRefused(gateway.get(Gateway.DATA + "/it-smart/Observation?patient=p-1001", token), 403, "PHIG-4303");
        HttpResponse<String> write = gateway.post(Gateway.DATA + "/it-smart/Observation", "{}", token);
        assertRefused(write, 403, "PHIG-4035");
        assertRefused(gateway.get(Gateway.DATA + "/it-smart/Condition?patient=p-1003", token), 403, "PHIG-4035");
        String withoutScope = keycloak.userToken("phigate", "phigate-clinician-app", "clinician", "clinicianPassword");
        assertRefused(gateway.get(Gateway.DATA + "/it-smart/Observation?patient=p-1003", withoutScope), 403, "PHIG-4035");
    }

    @Test
    void noTokenIsAChallenge() throws Exception {
        HttpResponse<String> response = gateway.get(Gateway.DATA + "/it-clinical/Patient");

        assertRefused(response, 401, "PHIG-4011");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"phigate\"");
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String[] parts = ehr().split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";

        assertRefused(call("it-clinical", none), 401, "PHIG-4012");
    }

    @Test
    void hs256SignedWithKeycloaksPublicKeyIsRefused() throws Exception {
        RSAKey published = (RSAKey) JWKSet.parse(keycloak.jwks("phigate")).getKeys().stream()
                .filter(k -> k instanceof RSAKey && "sig".equals(k.getKeyUse() == null ? "sig" : k.getKeyUse().identifier()))
                .findFirst().orElseThrow();
        SignedJWT original = SignedJWT.parse(ehr());
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                original.getJWTClaimsSet());
        byte[] secret = published.toRSAPublicKey().getEncoded();
        forged.sign(new MACSigner(Arrays.copyOf(secret, Math.max(32, secret.length))));

        assertRefused(call("it-clinical", forged.serialize()), 401, "PHIG-4012");
        assertThat(serverLog()).contains("PHIG-4121");
    }

    @Test
    void aPayloadEditedAfterSigningIsRefused() throws Exception {
        String[] parts = ehr().split("\\.");
        JWTClaimsSet claims = SignedJWT.parse(parts[0] + "." + parts[1] + "." + parts[2]).getJWTClaimsSet();
        JWTClaimsSet elevated = new JWTClaimsSet.Builder(claims)
                .claim("realm_access", Map.of("roles", List.of("clinician", "gateway-admin"))).build();

        String edited = parts[0] + "." + elevated.toPayload().toBase64URL() + "." + parts[2];

        assertRefused(call("it-admin-only", edited), 401, "PHIG-4012");
        assertThat(serverLog()).contains("PHIG-4123");
    }

    @Test
    void aTokenSignedWithAKeyKeycloakNeverPublishedIsRefused() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker-key").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker-key").build(),
                SignedJWT.parse(ehr()).getJWTClaimsSet());
        forged.sign(new RSASSASigner(attacker));

        assertRefused(call("it-clinical", forged.serialize()), 401, "PHIG-4012");
        assertThat(serverLog()).contains("PHIG-4122");
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() throws Exception {
        String foreign = keycloak.clientToken("elsewhere", "phigate-ehr", "elsewhereSecret");

        assertRefused(call("it-clinical", foreign), 401, "PHIG-4012");
    }

    @Test
    void aTokenNotIssuedForTheGatewaysAudienceIsRefused() throws Exception {
        String forAnotherAudience = keycloak.userToken("phigate", "admin-cli", "clinician", "clinicianPassword");

        assertRefused(call("it-clinical", forAnotherAudience), 401, "PHIG-4012");
        assertThat(serverLog()).contains("PHIG-4127");
    }

    private static String serverLog() throws Exception {
        return Files.readString(Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log"));
    }
}
