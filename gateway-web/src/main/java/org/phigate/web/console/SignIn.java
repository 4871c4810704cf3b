// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phigate.identity.Caller;

/**
 * One administrator's console session, as the guard admitted it: who, with which console roles, what the tokens
 * showed as second factor. Kept in the HTTP session, beside the OIDC client's own account with the tokens.
 */
record SignIn(String username, String subject, String clientId, Set<String> roles, Optional<String> acr, List<String> amr, Instant at)
        implements Serializable {

    static final String ATTRIBUTE = "org.phigate.console.SignIn";
    static final String ENDED_BY = "org.phigate.console.EndedBy";
    /**
     * The sign-in's OIDC security context: the OIDC client refreshes its tokens in place, so at the session's end it holds
     * the refresh token that ends the provider's session.
     */
    static final String OIDC_CONTEXT = "org.phigate.console.OidcContext";

    boolean may(String role) {
        return roles.contains(role);
    }

    /** The administrator as the admin API knows a caller, for the audit entry of a change (AdminChanges). */
    Caller caller() {
        return new Caller(subject, clientId, username, roles, Set.of(), Instant.MAX);
    }

    @Override
    public String toString() {
        return username + " (" + subject + ") roles " + roles + " acr " + acr.orElse("-") + " amr " + amr;
    }
}
