// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One administrator's console session, as the guard admitted it: who, with which console roles, what the tokens
 * showed as second factor. Kept in the HTTP session, beside the OIDC client's own account with the tokens.
 */
record SignIn(String username, String subject, Set<String> roles, Optional<String> acr, List<String> amr, Instant at) implements Serializable {

    static final String ATTRIBUTE = "org.phigate.console.SignIn";
    static final String ENDED_BY = "org.phigate.console.EndedBy";
    /** The newest refresh token the OIDC client holds for the session (ConsoleGuard keeps it current): it ends the provider's session. */
    static final String REFRESH_TOKEN = "org.phigate.console.RefreshToken";

    boolean may(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return username + " (" + subject + ") roles " + roles + " acr " + acr.orElse("-") + " amr " + amr;
    }
}
