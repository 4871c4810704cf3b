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

    /**
     * A token of a user who has a one-time-code credential, by the password grant: Keycloak's direct grant asks such a
     * user for the current code too ({@code totp}).
     */
    String userTokenWithCode(String realm, String clientId, String username, String passwordName, String totpSecretName) throws Exception {
        return token(realm, Map.of("grant_type", "password", "client_id", clientId, "username", username,
                "password", credential(passwordName), "totp", Totp.freshCode(username, credential(totpSecretName)), "scope", "openid"));
    }

    /** A token of Keycloak's bootstrap administrator (realm master), for the admin REST API. */
    private String adminToken() throws Exception {
        return token("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", "bootstrap-admin",
                "password", credential("bootstrapAdminPassword")));
    }

    /** Sets attributes of a client through Keycloak's admin API (tests that mis-configure the realm on purpose). */
    void setClientAttributes(String realm, String clientId, Map<String, String> attributes) throws Exception {
        String admin = adminToken();
        String base = BASE + "/admin/realms/" + realm + "/clients";
        @SuppressWarnings("unchecked")
        Map<String, Object> client = com.nimbusds.jose.util.JSONArrayUtils.parse(adminGet(base + "?clientId=" + clientId, admin)).stream()
                .map(o -> (Map<String, Object>) o).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> current = new java.util.LinkedHashMap<>((Map<String, Object>) client.get("attributes"));
        current.putAll(attributes);
        client.put("attributes", current);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/" + client.get("id")))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(client))).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 204) {
            throw new AssertionError("Keycloak refused the client update: " + put.statusCode() + " " + put.body());
        }
    }

    /** How many sessions the user has at Keycloak now (its admin API): a signed-out user has none. */
    int sessionsOf(String realm, String username) throws Exception {
        String admin = adminToken();
        return com.nimbusds.jose.util.JSONArrayUtils.parse(adminGet(user(realm, username, admin) + "/sessions", admin)).size();
    }

    /** The admin API's address of a user, found by username. */
    private String user(String realm, String username, String admin) throws Exception {
        String users = BASE + "/admin/realms/" + realm + "/users";
        Object id = com.nimbusds.jose.util.JSONArrayUtils.parse(adminGet(users + "?exact=true&username=" + username, admin)).stream()
                .map(o -> (Map<?, ?>) o).findFirst().orElseThrow().get("id");
        return users + "/" + id;
    }

    /** Removes a user's one-time-code credentials, so that the user enrols again at the next sign-in that asks for one. */
    void removeOtpCredentials(String realm, String username) throws Exception {
        String admin = adminToken();
        String user = user(realm, username, admin);
        for (Object credential : com.nimbusds.jose.util.JSONArrayUtils.parse(adminGet(user + "/credentials", admin))) {
            Map<?, ?> c = (Map<?, ?>) credential;
            if ("otp".equals(c.get("type"))) {
                http.send(HttpRequest.newBuilder(URI.create(user + "/credentials/" + c.get("id"))).header("Authorization", "Bearer " + admin)
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private String adminGet(String url, String admin) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("Keycloak's admin API refused " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
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
