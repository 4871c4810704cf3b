// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.security.GeneralSecurityException;
import java.time.Duration;
import org.phigate.identity.TokenVerifier;

/**
 * Whose bearer tokens the data plane accepts: the issuer, the audience tokens must name (this gateway),
 * where the issuer's keys are (empty: from its discovery document), and the clock skew tolerated.
 */
public record OidcSettings(String issuer, String audience, String jwksUri, Duration clockSkew) {

    /** From the system properties that the server configuration sets ({@code phigate.oidc.*}). */
    public static OidcSettings fromSystemProperties() throws GeneralSecurityException {
        String issuer = System.getProperty("phigate.oidc.issuer", "");
        String audience = System.getProperty("phigate.oidc.audience", "");
        if (issuer.isBlank() || audience.isBlank()) {
            throw new GeneralSecurityException("PHIG-0203 no token issuer: set the system properties phigate.oidc.issuer and phigate.oidc.audience");
        }
        return new OidcSettings(issuer, audience, System.getProperty("phigate.oidc.jwks-uri", ""),
                Duration.ofSeconds(Long.getLong("phigate.oidc.clock-skew-seconds", 30)));
    }

    TokenVerifier verifier() {
        return new TokenVerifier(issuer, audience, clockSkew);
    }
}
