// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the provider's single sign-on session of a console session that ended (sign-out, idle logoff, refusal), from
 * the server: Keycloak's logout endpoint with the session's refresh token and the console's client credentials.
 * Without it the next visit would be signed in again silently by the provider's cookie, and idle logoff would mean
 * nothing. Best effort with a short timeout: a provider that cannot be reached is logged (PHIG-0133), and its session
 * then ends by its own idle limit.
 */
final class ProviderLogout {

    private static final Logger LOG = Logger.getLogger(ProviderLogout.class.getName());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ProviderLogout() {
    }

    static void end(ConsoleSettings settings, String refreshToken) {
        if (settings.provider().isEmpty()) {
            return;
        }
        if (refreshToken.isEmpty()) {
            LOG.warning("PHIG-0133 the console session held no refresh token: the identity provider's session ends by its own idle limit");
            return;
        }
        URI endpoint = URI.create(settings.provider().get() + "/protocol/openid-connect/logout");
        String form = "client_id=" + encode(settings.clientId()) + "&client_secret=" + encode(settings.clientSecret())
                + "&refresh_token=" + encode(refreshToken);
        try {
            HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 == 2) {
                LOG.info(() -> "PHIG-0132 the identity provider ended the console user's session");
            } else {
                LOG.warning(() -> "PHIG-0133 the identity provider did not end the console user's session: HTTP " + answer.statusCode()
                        + " from " + endpoint + " (check phigate.console.client-secret)");
            }
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "PHIG-0133 the identity provider could not be reached to end the console user's session: " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
