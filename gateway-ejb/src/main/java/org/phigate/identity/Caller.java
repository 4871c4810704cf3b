// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller. {@code roles} are the realm roles; {@code scopes} the OAuth scopes granted.
 * {@code toString} names the subject and client only, never a token.
 */
public record Caller(String subject, String clientId, String username, Set<String> roles, Set<String> scopes,
                     Instant expiresAt) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        clientId = clientId == null ? "" : clientId;
        username = username == null ? "" : username;
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return "Caller[subject=" + subject + ", client=" + clientId + "]";
    }
}
