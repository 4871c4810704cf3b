// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMART App Launch scopes, v1 ({@code patient/Observation.read}, {@code user/*.write}, {@code system/*.*}) and
 * v2 ({@code patient/Observation.rs}, {@code user/*.cruds}): does any granted scope permit an interaction?
 * v1 "read" grants r and s, "write" grants c, u and d, "*" all five. A v2 scope with search parameters
 * ({@code patient/Observation.rs?category=laboratory}) narrows what may be returned, which the gateway cannot
 * check on the response: it grants nothing here, so such a scope never widens access by accident.
 */
public final class SmartScopes {

    private static final Pattern SCOPE = Pattern.compile("(patient|user|system)/([A-Z][A-Za-z]{1,63}|\\*)\\.([a-z*]+)");

    private SmartScopes() {
    }

    public static boolean permit(Collection<String> granted, FhirInteraction interaction) {
        return granted.stream().anyMatch(scope -> permits(scope, interaction));
    }

    static boolean permits(String scope, FhirInteraction interaction) {
        Matcher m = SCOPE.matcher(scope);
        if (!m.matches()) {
            return false;
        }
        String type = m.group(2);
        if (!type.equals("*") && !type.equals(interaction.resourceType())) {
            return false;
        }
        return letters(m.group(3)).map(l -> l.indexOf(interaction.permission()) >= 0).orElse(false);
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
