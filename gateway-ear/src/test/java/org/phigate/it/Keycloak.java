// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The real Keycloak that the build started (keycloak/keycloak.sh), and this installation's credentials. */
final class Keycloak {

    static final String BASE = "http://127.0.0.1:8180";

    private final Map<String, Object> credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Keycloak() throws Exception {
        credentials = JSONObjectUtils.parse(Files.readString(Path.of(System.getProperty("phigate.test.keycloak"), "credentials.json")));
    }

    String credential(String name) {
        return (String) credentials.get(name);
    }

    /** An access token of a confidential client, by the client-credentials grant. */
    String clientToken(String realm, String clientId, String secretName) throws Exception {
        return token(realm, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", credential(secretName)));
    }

    /** An access token of a user, by the password grant of the given (public) client. */
    String userToken(String realm, String clientId, String username, String passwordName) throws Exception {
        return userToken(realm, clientId, username, passwordName, "openid");
    }

    /** A user's token asking for the given scopes (space-separated), e.g. SMART on FHIR scopes. */
    String userToken(String realm, String clientId, String username, String passwordName, String scope) throws Exception {
        return token(realm, Map.of("grant_type", "password", "client_id", clientId, "username", username,
                "password", credential(passwordName), "scope", scope));
    }

    String jwks(String realm) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(BASE + "/realms/" + realm + "/protocol/openid-connect/certs")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String token(String realm, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(BASE + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("Keycloak refused the token request: " + response.statusCode() + " " + response.body());
        }
        return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
    }
}
