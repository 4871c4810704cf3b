// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import java.util.List;
import java.util.Set;

/**
 * Who may use a route: a caller must hold one of {@code roles} (if any are named), act through one of
 * {@code clients} (if any are named), present the client certificate of one of the service {@code identities}
 * (if any are named), come from one of {@code sources} (if any are named) and, if {@code smart}, hold a SMART on
 * FHIR scope that permits the request's FHIR interaction. With {@code breakGlass}, a caller who fails these may
 * still pass by breaking the glass. A policy must name roles, clients or identities: "any authenticated caller"
 * is not a policy a PHI route should have by accident.
 */
public record AccessPolicy(Set<String> roles, Set<String> clients, Set<String> identities, List<Cidr> sources,
                           boolean smart, boolean breakGlass) {

    public AccessPolicy(Set<String> roles, Set<String> clients, List<Cidr> sources) {
        this(roles, clients, Set.of(), sources, false, false);
    }

    public AccessPolicy(Set<String> roles, Set<String> clients, List<Cidr> sources, boolean smart, boolean breakGlass) {
        this(roles, clients, Set.of(), sources, smart, breakGlass);
    }

    public AccessPolicy {
        roles = Set.copyOf(roles);
        clients = Set.copyOf(clients);
        identities = Set.copyOf(identities);
        sources = List.copyOf(sources);
        if (roles.isEmpty() && clients.isEmpty() && identities.isEmpty()) {
            throw new IllegalArgumentException("a policy names at least one role, client or service identity");
        }
    }

    /** True when a bearer token is needed: the policy asks about roles, clients or SMART scopes, which only a token shows. */
    public boolean needsToken() {
        return !roles.isEmpty() || !clients.isEmpty() || smart;
    }
}
