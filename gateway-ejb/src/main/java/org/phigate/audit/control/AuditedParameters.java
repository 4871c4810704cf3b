// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which query parameters the audit record keeps in clear. Every route keeps the FHIR result parameters, whose values
 * say how much was returned, never whose data. A route may add the names of its own parameters (a code system, a
 * status), but never one that identifies a person or carries free text: those stay dropped whatever the route says.
 * Names are matched exactly, so allowlisting {@code code} does not keep {@code code:text}.
 */
public final class AuditedParameters {

    /** Kept on every route. */
    public static final Set<String> ALWAYS = Set.of("_count", "_format", "_summary", "_elements", "_sort", "_total");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    /**
     * FHIR search parameters (and common local ones) whose values identify a person, point at a resource by id, or
     * are free text: Patient, Person, RelatedPerson and Practitioner demographics, {@code _id}, {@code _text},
     * {@code _content}, {@code _filter}, {@code _has}, {@code _query}, and the references that name a patient.
     */
    private static final Set<String> IDENTIFYING = Set.of(
            "patient", "subject", "beneficiary", "individual", "identifier", "name", "family", "given", "phonetic",
            "birthdate", "death-date", "deceased", "gender", "phone", "email", "telecom", "address", "address-city",
            "address-country", "address-postalcode", "address-state", "address-use", "link", "general-practitioner",
            "mrn", "ssn", "_id", "_text", "_content", "_filter", "_has", "_query", "_list", "note", "text");

    private AuditedParameters() {
    }

    /** True when the record keeps this parameter's value on a route that allowlists {@code routeNames}. */
    public static boolean kept(String name, Set<String> routeNames) {
        return ALWAYS.contains(name) || routeNames.contains(name);
    }

    /** Why a route may not allowlist {@code name}, or empty when it may. */
    public static Optional<String> refusal(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a plain parameter name (no modifiers such as :text, no chains)");
        }
        if (IDENTIFYING.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("'" + name + "' can identify a patient or carry free text; its value is never kept in clear "
                    + "(patient references become pseudonyms on their own)");
        }
        return Optional.empty();
    }
}
