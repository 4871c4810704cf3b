// SPDX-License-Identifier: Apache-2.0
package org.phigate.fhir;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The FHIR REST interaction a request performs, read from its method and its path below the route's prefix:
 * the resource type it touches and one SMART v2 permission letter (c, r, u, d, s). A compartment search
 * ({@code Patient/7/Observation}) touches the searched type. Paths that are not FHIR REST interactions on a
 * resource type (operations, batches, capability statement) have none: SMART policies refuse them.
 */
public record FhirInteraction(String resourceType, char permission) {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    public static Optional<FhirInteraction> of(String method, String pathBelowPrefix) {
        String path = pathBelowPrefix.startsWith("/") ? pathBelowPrefix.substring(1) : pathBelowPrefix;
        String[] s = path.isEmpty() ? new String[0] : path.split("/", -1);
        if (s.length == 0 || !TYPE.matcher(s[0]).matches()) {
            return Optional.empty();
        }
        String type = s[0];
        return switch (method) {
            case "GET", "HEAD" -> read(type, s);
            case "POST" -> s.length == 1 ? Optional.of(new FhirInteraction(type, 'c'))
                    : s.length == 2 && s[1].equals("_search") ? Optional.of(new FhirInteraction(type, 's'))
                    : compartmentSearchByPost(s);
            case "PUT", "PATCH" -> s.length == 2 && isId(s[1]) ? Optional.of(new FhirInteraction(type, 'u')) : Optional.empty();
            case "DELETE" -> s.length == 2 && isId(s[1]) ? Optional.of(new FhirInteraction(type, 'd')) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<FhirInteraction> read(String type, String[] s) {
        if (s.length == 1) {
            return Optional.of(new FhirInteraction(type, 's'));
        }
        if (!isId(s[1])) {
            return Optional.empty();
        }
        if (s.length == 2 || s[2].equals("_history") && s.length <= 4) {
            return Optional.of(new FhirInteraction(type, 'r'));
        }
        if (s.length == 3 && TYPE.matcher(s[2]).matches()) {
            return Optional.of(new FhirInteraction(s[2], 's'));
        }
        return Optional.empty();
    }

    private static Optional<FhirInteraction> compartmentSearchByPost(String[] s) {
        if (s.length == 4 && isId(s[1]) && TYPE.matcher(s[2]).matches() && s[3].equals("_search")) {
            return Optional.of(new FhirInteraction(s[2], 's'));
        }
        return Optional.empty();
    }

    private static boolean isId(String segment) {
        return !segment.isEmpty() && segment.charAt(0) != '_' && segment.charAt(0) != '$' && segment.length() <= 64;
    }
}
