// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller. {@code roles} are the realm roles; {@code scopes} the OAuth scopes granted;
 * {@code serviceIdentity} the registered service identity whose client certificate the connection presented
 * ("" when none); {@code launchPatient} the token's SMART {@code patient} claim, the patient a {@code patient/} scope
 * is bound to ("" when none). A caller known by its certificate alone has no token: no roles, no scopes, no client.
 * {@code toString} names the subject, client and identity only, never a token.
 */
public record Caller(String subject, String clientId, String username, Set<String> roles, Set<String> scopes,
                     Instant expiresAt, String serviceIdentity, String launchPatient) {

    /** The subject of a caller known by its client certificate alone. */
    public static final String SERVICE_SUBJECT_PREFIX = "service:";

    public Caller(String subject, String clientId, String username, Set<String> roles, Set<String> scopes, Instant expiresAt) {
        this(subject, clientId, username, roles, scopes, expiresAt, "", "");
    }

    public Caller(String subject, String clientId, String username, Set<String> roles, Set<String> scopes, Instant expiresAt,
                  String serviceIdentity) {
        this(subject, clientId, username, roles, scopes, expiresAt, serviceIdentity, "");
    }

    public Caller {
        Objects.requireNonNull(subject, "subject");
        clientId = clientId == null ? "" : clientId;
        username = username == null ? "" : username;
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
        serviceIdentity = serviceIdentity == null ? "" : serviceIdentity;
        launchPatient = launchPatient == null ? "" : launchPatient;
    }

    /** A caller that presented the certificate of a registered service identity and no token. */
    public static Caller service(String identity) {
        return new Caller(SERVICE_SUBJECT_PREFIX + identity, "", "", Set.of(), Set.of(), Instant.MAX, identity);
    }

    /** This token's caller on a connection that also presented the certificate of {@code identity}. */
    public Caller withServiceIdentity(String identity) {
        return new Caller(subject, clientId, username, roles, scopes, expiresAt, identity, launchPatient);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return "Caller[subject=" + subject + ", client=" + clientId
                + (serviceIdentity.isEmpty() ? "" : ", identity=" + serviceIdentity) + "]";
    }
}
