// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The console's settings, read from the server's system properties (console.cli sets them) each time they are
 * needed, so that a change through the management model applies to the next sign-in without a redeploy.
 */
record ConsoleSettings(Optional<URI> provider, String clientId, String clientSecret, Duration idleTimeout, SecondFactor secondFactor) {

    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final String DEFAULT_SECOND_FACTOR = "amr:otp,amr:hwk,amr:swk,amr:sc,amr:mfa,acr:mfa";

    /** @throws IllegalArgumentException (PHIG-1201) when phigate.console.second-factor cannot be read */
    static ConsoleSettings fromSystem() {
        return new ConsoleSettings(providerFromSystem(),
                System.getProperty("phigate.console.client-id", "phigate-console"),
                System.getProperty("phigate.console.client-secret", ""),
                idleTimeout(System.getProperty("phigate.console.idle-timeout", "")),
                SecondFactor.parse(System.getProperty("phigate.console.second-factor", DEFAULT_SECOND_FACTOR)));
    }

    /** The OpenID provider alone, for what needs nothing else (the pages' Content-Security-Policy). */
    static Optional<URI> providerFromSystem() {
        String provider = System.getProperty("phigate.console.provider-url", "").trim();
        return provider.isEmpty() ? Optional.empty() : Optional.of(URI.create(provider.replaceAll("/+$", "")));
    }

    /** An ISO-8601 duration of at least 10 seconds; anything else is the default, never "no idle logoff". */
    static Duration idleTimeout(String setting) {
        if (setting.isBlank()) {
            return DEFAULT_IDLE_TIMEOUT;
        }
        try {
            Duration parsed = Duration.parse(setting.trim());
            return parsed.compareTo(Duration.ofSeconds(10)) >= 0 ? parsed : DEFAULT_IDLE_TIMEOUT;
        } catch (DateTimeParseException e) {
            return DEFAULT_IDLE_TIMEOUT;
        }
    }
}
