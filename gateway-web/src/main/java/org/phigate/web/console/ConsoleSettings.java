// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The console's own settings, read from the server's system properties (console.cli sets them) at each sign-in, so
 * that a change through the management model applies to the next sign-in without a redeploy. The provider and the
 * client are the OIDC client's (its secure deployment), configured there once.
 */
record ConsoleSettings(Duration idleTimeout, SecondFactor secondFactor) {

    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final String DEFAULT_SECOND_FACTOR = "amr:otp,amr:hwk,amr:swk,amr:sc,amr:mfa,acr:mfa";

    /** @throws IllegalArgumentException (PHIG-1201) when phigate.console.second-factor cannot be read */
    static ConsoleSettings fromSystem() {
        return new ConsoleSettings(idleTimeout(System.getProperty("phigate.console.idle-timeout", "")),
                SecondFactor.parse(System.getProperty("phigate.console.second-factor", DEFAULT_SECOND_FACTOR)));
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
