// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import java.net.InetAddress;
import java.util.Optional;
import org.phigate.fhir.FhirRequest;
import org.phigate.identity.Caller;

/** Decides whether a caller may use a route. Default deny: a route without a policy admits nobody. */
public final class PolicyDecision {

    /** Why a caller was refused; the code goes into the 403 problem, the audit and the log. */
    public enum Deny {
        NO_POLICY("PHIG-4031", "the route has no access policy"),
        ROLE("PHIG-4032", "the caller holds none of the route's roles"),
        CLIENT("PHIG-4033", "the caller's client is not allowed on the route"),
        SOURCE("PHIG-4034", "the caller's address is not allowed on the route"),
        SCOPE("PHIG-4035", "the caller's SMART scopes do not permit this FHIR interaction on every resource type it can return"),
        OTHER_RESOURCES("PHIG-4301", "the request filters by other resources' data (_has), which SMART scopes cannot bound"),
        SEARCH_IN_BODY("PHIG-4302", "the search parameters are in the request body, which the gateway does not read"),
        NOT_CONFINED("PHIG-4303", "a patient/ scope grants this only for the token's patient, and the request is not confined to that patient"),
        NO_PATIENT("PHIG-4304", "a patient/ scope grants this only for the token's patient, and the token names no patient"),
        IDENTITY("PHIG-4037", "the caller presented no client certificate of a service identity allowed on the route");

        public final String code;
        public final String reason;

        Deny(String code, String reason) {
            this.code = code;
            this.reason = reason;
        }
    }

    private PolicyDecision() {
    }

    /**
     * @param fhir the request read as FHIR, for a SMART policy (empty otherwise)
     * @return empty when the caller is allowed, else the first reason to refuse
     */
    public static Optional<Deny> decide(Optional<AccessPolicy> route, Caller caller, InetAddress source,
                                        Optional<FhirRequest> fhir) {
        if (route.isEmpty()) {
            return Optional.of(Deny.NO_POLICY);
        }
        AccessPolicy policy = route.get();
        if (!policy.sources().isEmpty() && policy.sources().stream().noneMatch(c -> c.contains(source))) {
            return Optional.of(Deny.SOURCE);
        }
        if (!policy.identities().isEmpty() && !policy.identities().contains(caller.serviceIdentity())) {
            return Optional.of(Deny.IDENTITY);
        }
        if (!policy.clients().isEmpty() && !policy.clients().contains(caller.clientId())) {
            return Optional.of(Deny.CLIENT);
        }
        if (!policy.roles().isEmpty() && policy.roles().stream().noneMatch(caller::hasRole)) {
            return Optional.of(Deny.ROLE);
        }
        if (policy.smart()) {
            return fhir.isEmpty() ? Optional.of(Deny.SCOPE) : SmartScopes.refusal(caller.scopes(), caller.launchPatient(), fhir.get());
        }
        return Optional.empty();
    }
}
