// SPDX-License-Identifier: Apache-2.0
package org.phigate.fhir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A request read as a FHIR REST request, once, for the three checks that depend on what it discloses: the caller's
 * SMART scopes, the PHI scope of a vendor's agreement, and the accounting of disclosures. It answers which resource
 * types the answer can hold (the path's types, {@code _type}, {@code _include}, {@code _revinclude}, the types that
 * {@code _has} filters on) and whether that list is complete (an operation, a wildcard, a batch, a system search
 * or a search whose parameters are in a body can return any type); and which patients the request names (the
 * {@code Patient/id} of a path, {@code _id} of a Patient search, {@code patient} and {@code subject} as ids and as
 * references, relative or absolute, several values and chains included).
 * <p>
 * It reads what the request says, not what a server will answer: a read of {@code Observation/7} names no patient
 * here, although the Observation has one. Checks that must confine a request to one patient use
 * {@link #confinedTo()}, which only a request that names its patient has.
 */
public final class FhirRequest {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
    /** Search parameters whose values are references to, or ids of, the patient of a resource. */
    private static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject", "beneficiary");
    /** As many as one audit record holds; a request that names more is refused ({@link #patientsNamed()}). */
    public static final int MAX_PATIENTS = 64;

    /** A decoded search parameter: {@code name} as sent, {@code base} before any {@code :modifier} or {@code .chain}. */
    public record Parameter(String name, String base, String value) {
    }

    /**
     * The resource types an answer can hold. {@code complete} is false when it could hold types that cannot be told
     * from the request; then only a grant of every type covers it.
     */
    public record Disclosure(Set<String> types, boolean complete) {
        public Disclosure {
            types = Set.copyOf(types);
        }
    }

    private final String method;
    private final List<String> segments;
    private final List<Parameter> parameters;
    private final boolean body;
    /** Read on first use; a request is read by one thread at a time. */
    private Set<String> named;

    private FhirRequest(String method, List<String> segments, List<Parameter> parameters, boolean body) {
        this.method = method;
        this.segments = segments;
        this.parameters = parameters;
        this.body = body;
    }

    /**
     * @param remainder the decoded path below the route's prefix, with or without a leading '/'
     * @param rawQuery  the query string as sent, null or empty if none
     * @param hasBody   whether the request has a body (a POST search carries its parameters there)
     */
    public static FhirRequest of(String method, String remainder, String rawQuery, boolean hasBody) {
        String path = remainder.startsWith("/") ? remainder.substring(1) : remainder;
        List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/", -1));
        List<Parameter> parameters = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                int end = name.length();
                for (char stop : new char[] {':', '.'}) {
                    int at = name.indexOf(stop);
                    if (at >= 0 && at < end) {
                        end = at;
                    }
                }
                parameters.add(new Parameter(name, name.substring(0, end), value));
            }
        }
        return new FhirRequest(method, segments, List.copyOf(parameters), hasBody);
    }

    /** What the request does as a FHIR REST interaction on a resource type; empty for operations, batches and the like. */
    public Optional<FhirInteraction> interaction() {
        return FhirInteraction.of(method, String.join("/", segments));
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The search parameters are in the body, which this reader does not see: {@code POST [type]/_search} with a body. */
    public boolean searchesInBody() {
        return body && method.equals("POST") && !segments.isEmpty() && segments.get(segments.size() - 1).equals("_search");
    }

    /** The request asks for other resources beside its matches ({@code _include}, {@code _revinclude}, any modifier). */
    public boolean includesOthers() {
        return parameters.stream().anyMatch(p -> p.base().equals("_include") || p.base().equals("_revinclude"));
    }

    /** How many patients the request names, without the limit of {@link #patients()}. */
    public int patientsNamed() {
        return named().size();
    }

    /** The request filters by the data of other resources ({@code _has}), which discloses facts about them. */
    public boolean filtersByOtherResources() {
        return parameters.stream().anyMatch(p -> p.base().equals("_has"));
    }

    /** The resource types the answer can hold, read from the path and the search parameters. */
    public Disclosure disclosure() {
        Set<String> types = new TreeSet<>();
        boolean systemLevel = segments.isEmpty() || segments.size() == 1 && segments.get(0).equals("_search");
        boolean complete = systemLevel || pathTypes(types);
        boolean typed = false;
        for (Parameter p : parameters) {
            switch (p.base()) {
                case "_type" -> {
                    for (String t : p.value().split(",")) {
                        if (TYPE.matcher(t).matches()) {
                            types.add(t);
                            typed = true;
                        } else {
                            complete = false;
                        }
                    }
                }
                case "_include", "_revinclude" -> {
                    String[] parts = p.value().split(":");
                    if (!TYPE.matcher(parts[0]).matches() || p.value().contains(",")) {
                        complete = false;
                        break;
                    }
                    types.add(parts[0]);
                    if (p.base().equals("_include")) {
                        if (parts.length >= 3 && TYPE.matcher(parts[2]).matches()) {
                            types.add(parts[2]);
                        } else {
                            complete = false;
                        }
                    }
                }
                case "_has" -> complete &= hasTypes(p.name(), types);
                case "_contained" -> complete &= p.value().equals("false");
                case "_filter", "_query" -> complete = false;
                default -> complete &= chainTypes(p, types);
            }
        }
        // A system-level request (a batch or transaction, a search of every type) is bounded only by _type.
        if (systemLevel && (!typed || !method.equals("GET") && !method.equals("POST")) || searchesInBody()
                || segments.isEmpty() && method.equals("POST")) {
            complete = false;
        }
        return new Disclosure(types, complete);
    }

    /** Adds the types the path names; false when the path can disclose types it does not name. */
    private boolean pathTypes(Set<String> types) {
        if (segments.isEmpty()) {
            return false;
        }
        if (segments.size() == 1 && segments.get(0).equals("metadata")) {
            return true;
        }
        boolean complete = true;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.startsWith("$") || s.contains("*")) {
                complete = false;
            } else if (i % 2 == 0 && TYPE.matcher(s).matches()) {
                types.add(s);
            } else if (i % 2 == 0 && !s.equals("_history") && !s.equals("_search") && !s.isEmpty()) {
                complete = false;
            }
        }
        return complete && TYPE.matcher(segments.get(0)).matches();
    }

    /**
     * A chained parameter searches the resources a reference points to, and so discloses facts about them:
     * {@code subject:Patient.name=Smith} discloses Patient; {@code patient.name}, {@code beneficiary.name} too (those
     * parameters only point to Patients). A chain whose target type cannot be told ({@code subject.name}) makes the
     * disclosure incomplete. False when the types cannot be told.
     */
    private static boolean chainTypes(Parameter p, Set<String> types) {
        String name = p.name();
        int dot = name.indexOf('.');
        if (dot < 0 || name.startsWith("_")) {
            return true;
        }
        boolean complete = true;
        String[] links = name.split("\\.");
        for (int i = 0; i < links.length - 1; i++) {
            String link = links[i];
            int colon = link.indexOf(':');
            String base = colon < 0 ? link : link.substring(0, colon);
            String target = colon < 0 ? "" : link.substring(colon + 1);
            if (TYPE.matcher(target).matches()) {
                types.add(target);
            } else if (i == 0 && (base.equals("patient") || base.equals("beneficiary"))) {
                types.add("Patient");
            } else {
                complete = false;
            }
        }
        return complete;
    }

    /** {@code _has:Observation:patient:_has:AuditEvent:entity:code}: the types filtered on; false if one is not a type. */
    private static boolean hasTypes(String name, Set<String> types) {
        String[] parts = name.split(":");
        boolean complete = true;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("_has")) {
                if (i + 1 < parts.length && TYPE.matcher(parts[i + 1]).matches()) {
                    types.add(parts[i + 1]);
                } else {
                    complete = false;
                }
            }
        }
        return complete;
    }

    /**
     * The ids of the patients the request names, in the order it names them (at most 64): {@code Patient/id} in the
     * path (a read, a compartment, an operation), {@code _id} of a Patient search, and {@code patient},
     * {@code subject} and {@code beneficiary} given as an id, as {@code Patient/id} or as an absolute reference,
     * with modifiers ({@code subject:Patient}) or chained to {@code _id} ({@code subject:Patient._id},
     * {@code patient._id}), each of several comma-separated values. A reference to another type
     * ({@code subject=Group/7}) names no patient.
     */
    public Set<String> patients() {
        return named().stream().limit(MAX_PATIENTS).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The one patient this request is confined to: it names exactly one, in its path or as the only value of each
     * of its patient parameters, and every patient parameter names that one. A bare id in {@code subject} does not
     * confine (a subject may be a Group or a Device with the same id); {@code subject=Patient/id},
     * {@code subject:Patient=id} and {@code patient=id} do. Empty when the request names no patient, or more than one.
     */
    public Optional<String> confinedTo() {
        for (Parameter p : parameters) {
            if ((PATIENT_PARAMETERS.contains(p.base()) || p.name().equals("_id")) && p.value().contains(",")) {
                return Optional.empty();
            }
        }
        Set<String> strict = named(true);
        return strict.size() == 1 && named().equals(strict) ? Optional.of(strict.iterator().next()) : Optional.empty();
    }

    /** Every patient the request names, read once: the audit record, the limit check and the SMART check all ask. */
    private Set<String> named() {
        if (named == null) {
            named = named(false);
        }
        return named;
    }

    private Set<String> named(boolean typedReferencesOnly) {
        Set<String> patients = new LinkedHashSet<>();
        for (int i = 0; i + 1 < segments.size(); i += 2) {
            if (segments.get(i).equals("Patient") && isId(segments.get(i + 1))) {
                patients.add(segments.get(i + 1));
            }
        }
        boolean patientSearch = !segments.isEmpty() && segments.get(0).equals("Patient") && (segments.size() == 1
                || segments.size() == 2 && segments.get(1).equals("_search"));
        for (Parameter p : parameters) {
            if (patientSearch && p.name().equals("_id")) {
                for (String id : p.value().split(",")) {
                    if (isId(id.trim())) {
                        patients.add(id.trim());
                    }
                }
            } else if (PATIENT_PARAMETERS.contains(p.base())) {
                String modifier = p.name().substring(p.base().length());
                if (modifier.isEmpty() || modifier.equals(":Patient") || modifier.equals("._id") || modifier.equals(":Patient._id")) {
                    boolean bareIsPatient = !typedReferencesOnly || !p.base().equals("subject") || !modifier.isEmpty();
                    for (String value : p.value().split(",")) {
                        patientOf(value, bareIsPatient).ifPresent(patients::add);
                    }
                }
            }
        }
        return patients;
    }

    /** A reference's patient id: {@code id}, {@code Patient/id}, {@code https://host/fhir/Patient/id[/_history/n]}. */
    private static Optional<String> patientOf(String value, boolean bareIdIsPatient) {
        String v = value.trim();
        int at = v.lastIndexOf("Patient/");
        if (at >= 0 && (at == 0 || v.charAt(at - 1) == '/')) {
            String rest = v.substring(at + "Patient/".length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            return isId(id) ? Optional.of(id) : Optional.empty();
        }
        if (v.contains("/") || v.contains(":")) {
            return Optional.empty();
        }
        return bareIdIsPatient && isId(v) ? Optional.of(v) : Optional.empty();
    }

    /** A FHIR id: 1-64 of {@code A-Z a-z 0-9 - .}. */
    static boolean isId(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
