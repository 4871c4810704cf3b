// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phigate.fhir.FhirInteraction;
import org.phigate.fhir.FhirRequest;

/**
 * SMART App Launch scopes, v1 ({@code patient/Observation.read}, {@code user/*.write}, {@code system/*.*}) and
 * v2 ({@code patient/Observation.rs}, {@code user/*.cruds}), applied to everything a request can return.
 * v1 "read" grants r and s, "write" grants c, u and d, "*" all five. A v2 scope with search parameters
 * ({@code patient/Observation.rs?category=laboratory}) narrows what may be returned, which the gateway cannot
 * check on the response: it grants nothing here, so such a scope never widens access by accident.
 * <p>
 * Every resource type the answer can hold (the interaction's, and those of {@code _include}, {@code _revinclude},
 * {@code _type} and compartments) needs a scope with the interaction's letter; an answer whose types cannot be
 * told (a wildcard) needs a scope of every type. A type granted by {@code patient/} scopes only is granted for
 * the token's patient only: the request must be confined to the patient of the token's {@code patient} claim
 * ({@link FhirRequest#confinedTo()}), which a search or a read of that Patient can be and a read by id of
 * another type, or a create, cannot.
 */
public final class SmartScopes {

    private static final Pattern SCOPE = Pattern.compile("(patient|user|system)/([A-Z][A-Za-z]{1,63}|\\*)\\.([a-z*]+)");

    /** One granted scope, parsed: its level, its type or {@code *}, and the v2 letters it grants. */
    private record Grant(String level, String type, String letters) {
        boolean permits(String resourceType, char letter) {
            return (type.equals("*") || type.equals(resourceType)) && letters.indexOf(letter) >= 0;
        }
    }

    private SmartScopes() {
    }

    /** Whether any granted scope permits this interaction on its own type (what the request is, not what it returns). */
    public static boolean permit(Collection<String> granted, FhirInteraction interaction) {
        return granted.stream().anyMatch(scope -> permits(scope, interaction));
    }

    static boolean permits(String scope, FhirInteraction interaction) {
        return grant(scope).map(g -> g.permits(interaction.resourceType(), interaction.permission())).orElse(false);
    }

    /** The reason to refuse the request under these scopes and this launch patient ("" for none), if any. */
    static Optional<PolicyDecision.Deny> refusal(Collection<String> granted, String launchPatient, FhirRequest request) {
        Optional<FhirInteraction> interaction = request.interaction();
        if (interaction.isEmpty()) {
            return Optional.of(PolicyDecision.Deny.SCOPE);
        }
        if (request.filtersByOtherResources()) {
            return Optional.of(PolicyDecision.Deny.OTHER_RESOURCES);
        }
        if (request.searchesInBody()) {
            return Optional.of(PolicyDecision.Deny.SEARCH_IN_BODY);
        }
        char letter = interaction.get().permission();
        FhirRequest.Disclosure disclosure = request.disclosure();
        Set<String> types = new java.util.TreeSet<>(disclosure.types());
        types.add(interaction.get().resourceType());
        if (!disclosure.complete()) {
            types.add("*");
        }
        var grants = granted.stream().map(SmartScopes::grant).flatMap(Optional::stream).toList();
        boolean patientBound = false;
        for (String type : types) {
            var permitting = grants.stream().filter(g -> type.equals("*") ? g.type().equals("*") && g.letters().indexOf(letter) >= 0
                    : g.permits(type, letter)).toList();
            if (permitting.isEmpty()) {
                return Optional.of(PolicyDecision.Deny.SCOPE);
            }
            patientBound |= permitting.stream().allMatch(g -> g.level().equals("patient"));
        }
        if (!patientBound) {
            return Optional.empty();
        }
        if (launchPatient.isEmpty()) {
            return Optional.of(PolicyDecision.Deny.NO_PATIENT);
        }
        // Included resources leave the patient's compartment (a Group's other members, a linked Patient, a focus).
        boolean confinable = (letter == 's' || interaction.get().resourceType().equals("Patient") && letter != 'c')
                && !request.includesOthers();
        return confinable && request.confinedTo().filter(launchPatient::equals).isPresent() ? Optional.empty()
                : Optional.of(PolicyDecision.Deny.NOT_CONFINED);
    }

    private static Optional<Grant> grant(String scope) {
        Matcher m = SCOPE.matcher(scope);
        if (!m.matches()) {
            return Optional.empty();
        }
        return letters(m.group(3)).map(l -> new Grant(m.group(1), m.group(2), l));
    }

    /** The v2 letters a permission part grants; empty if it is neither valid v1 nor valid v2. */
    private static Optional<String> letters(String permission) {
        switch (permission.toLowerCase(Locale.ROOT)) {
            case "read":
                return Optional.of("rs");
            case "write":
                return Optional.of("cud");
            case "*":
                return Optional.of("cruds");
            default:
                return permission.matches("c?r?u?d?s?") && !permission.isEmpty() ? Optional.of(permission) : Optional.empty();
        }
    }
}
