// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.phigate.route.control.RouteSpec;

/**
 * The business associate rule (164.308(b), 164.502(e)): a route that carries PHI to a vendor forwards only while the
 * vendor's agreement is in force and its PHI scope covers the route and every resource type the request would
 * disclose. Pure: the data plane passes the vendor of the route table it matched against and the time of the request.
 * Break-glass does not reach here as an exception: emergency access is about who may see PHI, not about disclosing
 * it to a vendor without an agreement.
 */
public final class BaaDecision {

    public static final String DRAFT = "PHIG-4392";
    public static final String NOT_YET_EFFECTIVE = "PHIG-4393";
    public static final String EXPIRED = "PHIG-4394";
    public static final String TERMINATED = "PHIG-4395";
    /** The agreement is in force but does not cover this route or one of the resource types asked for. */
    public static final String OUT_OF_SCOPE = "PHIG-4396";

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    /** Why the request may not go to the vendor, and which vendor. */
    public record Refusal(String reason, String vendor) {
    }

    private BaaDecision() {
    }

    /**
     * @param vendor    the vendor the route (or its pool) is linked to, as the matched table holds it (a table cannot link
     *                  a route to a vendor it does not hold); empty for a route of the hospital's own systems
     * @param remainder the request path below the route's prefix
     * @param rawQuery  the query string as sent, or null
     */
    public static Optional<Refusal> decide(RouteSpec route, Optional<VendorSpec> vendor, String remainder, String rawQuery, Instant now) {
        if (!route.carriesPhi() || vendor.isEmpty()) {
            return Optional.empty();
        }
        VendorSpec v = vendor.get();
        Optional<String> lapse = v.lapse(now);
        if (lapse.isPresent()) {
            return Optional.of(new Refusal(lapse.get(), v.name()));
        }
        Disclosed disclosed = v.scope().everyType() ? Disclosed.NOTHING_PARSED : Disclosed.of(remainder, rawQuery);
        return v.scope().covers(route.name(), disclosed.types(), disclosed.known()) ? Optional.empty()
                : Optional.of(new Refusal(OUT_OF_SCOPE, v.name()));
    }

    /**
     * The FHIR resource types a request would disclose, read from its path ({@code Type}, {@code Type/id},
     * {@code Type/id/Other} for a compartment) and from the {@code _type}, {@code _include} and {@code _revinclude}
     * parameters. {@code known} is false when the request could return types that cannot be told from it.
     */
    record Disclosed(Set<String> types, boolean known) {

        /** For a scope of every type, where the request's types do not matter. */
        static final Disclosed NOTHING_PARSED = new Disclosed(Set.of(), true);

        static Disclosed of(String remainder, String rawQuery) {
            Set<String> types = new TreeSet<>();
            String[] segments = remainder.startsWith("/") ? remainder.substring(1).split("/", -1) : remainder.split("/", -1);
            boolean known;
            if (segments.length == 1 && segments[0].equals("metadata")) {
                known = true;
            } else if (TYPE.matcher(segments[0]).matches()) {
                types.add(segments[0]);
                if (segments.length >= 3 && TYPE.matcher(segments[2]).matches()) {
                    types.add(segments[2]);
                }
                known = true;
            } else {
                known = false;
            }
            return rawQuery == null || rawQuery.isEmpty() ? new Disclosed(types, known) : withParameters(types, known, rawQuery);
        }

        private static Disclosed withParameters(Set<String> types, boolean known, String rawQuery) {
            boolean systemSearch = !known && types.isEmpty();
            boolean typed = false;
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
                switch (base) {
                    case "_type" -> {
                        for (String t : value.split(",")) {
                            if (TYPE.matcher(t).matches()) {
                                types.add(t);
                                typed = true;
                            } else {
                                return new Disclosed(types, false);
                            }
                        }
                    }
                    case "_include", "_revinclude" -> {
                        String[] parts = value.split(":");
                        if (!TYPE.matcher(parts[0]).matches()) {
                            return new Disclosed(types, false);
                        }
                        types.add(parts[0]);
                        if (base.equals("_include")) {
                            if (parts.length < 3 || !TYPE.matcher(parts[2]).matches()) {
                                return new Disclosed(types, false);
                            }
                            types.add(parts[2]);
                        }
                    }
                    default -> {
                    }
                }
            }
            return new Disclosed(types, known || systemSearch && typed);
        }

        private static String decode(String text) {
            try {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
    }
}
