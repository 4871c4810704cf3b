// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.phigate.fhir.FhirRequest;

/**
 * A request path as the audit trail may keep it. Read as FHIR REST paths are built (type, id, type, id...), every
 * segment in an id position, and any other segment that is not a resource type, becomes {@code *}: resource types,
 * {@code _history}, {@code _search} and {@code $operations} stay, so the record still says what was asked for. Query parameters are
 * dropped unless {@link AuditedParameters} keeps their name on this route (no FHIR search value is stored in clear
 * otherwise). The patients the request names, as {@link FhirRequest#patients()} reads them (ids in the path,
 * {@code _id}, {@code patient} and {@code subject} as ids and references, relative or absolute), become pseudonyms.
 */
public record RedactedRequest(String path, String resourceType, String interaction, String patients) {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
    /** As many as {@link FhirRequest#patients()} reads; the column holds 64 pseudonyms. */
    private static final int MAX_PATIENTS = 64;

    /**
     * @param prefix the route's prefix (safe to keep: it is configuration)
     * @param remainder the decoded path below the prefix, no leading '/'
     * @param query the raw query string, or null
     * @param routeParameters the names the route allowlists beyond {@link AuditedParameters#ALWAYS}
     */
    public static RedactedRequest of(String prefix, String method, String remainder, String query, Set<String> routeParameters,
                                     Pseudonyms pseudonyms) {
        return of(prefix, method, remainder, query, FhirRequest.of(method, remainder, query, false), routeParameters, pseudonyms);
    }

    /** @param read the request as the data plane already read it, whose patients become the pseudonyms */
    public static RedactedRequest of(String prefix, String method, String remainder, String query, FhirRequest read,
                                     Set<String> routeParameters, Pseudonyms pseudonyms) {
        Set<String> patients = new LinkedHashSet<>();
        read.patients().forEach(id -> patients.add(pseudonyms.patient(id)));
        StringBuilder path = new StringBuilder(prefix);
        String[] segments = remainder.isEmpty() ? new String[0] : remainder.split("/", -1);
        String type = null;
        int ids = 0;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean keyword = segment.startsWith("$") || segment.equals("_history") || segment.equals("_search");
            boolean isType = i % 2 == 0 && TYPE.matcher(segment).matches();
            boolean keep = keyword || isType || segment.isEmpty();
            if (isType) {
                type = segment;
            } else if (!keep) {
                ids++;
            }
            path.append(i == 0 ? "" : "/").append(keep ? segment : "*");
        }
        String kept = query(query, routeParameters);
        return new RedactedRequest(kept.isEmpty() ? path.toString() : path + "?" + kept, type,
                interaction(method, segments, ids), String.join(",", patients.stream().limit(MAX_PATIENTS).toList()));
    }

    private static String query(String query, Set<String> routeParameters) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (AuditedParameters.kept(name, routeParameters)) {
                kept.add(pair);
            }
        }
        return String.join("&", kept);
    }

    /** A malformed escape leaves the text as it is: it is only looked at, never stored unless allowlisted. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The FHIR interaction in the words of the accounting of disclosures: read, vread, search, create, update, delete, operation. */
    private static String interaction(String method, String[] segments, int ids) {
        if (segments.length == 0) {
            return null;
        }
        String last = segments[segments.length - 1];
        if (last.startsWith("$")) {
            return "operation";
        }
        if (last.equals("_search")) {
            return "search";
        }
        boolean history = Arrays.asList(segments).contains("_history");
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> history ? (TYPE.matcher(last).matches() || last.equals("_history") ? "history" : "vread")
                    : TYPE.matcher(last).matches() ? "search" : ids > 0 ? "read" : null;
            case "POST" -> "create";
            case "PUT", "PATCH" -> "update";
            case "DELETE" -> "delete";
            default -> null;
        };
    }
}
