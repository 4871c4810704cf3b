// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor.control;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What PHI an agreement lets go to its vendor (the minimum necessary, 164.502(b)): the routes that may carry it, and
 * the FHIR resource types. An empty {@code routes} means every route linked to the vendor; {@code resourceTypes}
 * {@code [*]} means every type. A scope names at least one of the two, so that "no scope" is never read as "all".
 */
public record PhiScope(Set<String> routes, Set<String> resourceTypes) {

    public static final String EVERY_TYPE = "*";
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    public PhiScope {
        routes = Set.copyOf(routes);
        resourceTypes = Set.copyOf(resourceTypes);
        if (routes.isEmpty() && resourceTypes.isEmpty()) {
            throw new IllegalArgumentException("the PHI scope must name routes or resource types ('*' for every resource type)");
        }
        resourceTypes.stream().filter(t -> !t.equals(EVERY_TYPE) && !TYPE.matcher(t).matches()).findFirst().ifPresent(t -> {
            throw new IllegalArgumentException("'" + t + "' is not a FHIR resource type (such as Observation) or '*'");
        });
    }

    /** True when any FHIR resource type may go, so the request's types need not be known. */
    public boolean everyType() {
        return resourceTypes.isEmpty() || resourceTypes.contains(EVERY_TYPE);
    }

    /**
     * @param types      the resource types the request would disclose
     * @param typesKnown false when the request could disclose types that cannot be told from it (a system-wide search,
     *                   a transaction, an {@code _include} without its target type): then only a scope of every type covers it
     */
    boolean covers(String route, Set<String> types, boolean typesKnown) {
        if (!routes.isEmpty() && !routes.contains(route)) {
            return false;
        }
        return everyType() || typesKnown && resourceTypes.containsAll(types);
    }
}
