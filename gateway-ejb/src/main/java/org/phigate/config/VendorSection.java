// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.phigate.vendor.control.PhiScope;
import org.phigate.vendor.control.VendorSpec;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code vendors} section: each business associate with its agreement. Dates are ISO-8601, either a day
 * ({@code 2027-01-01}, meaning 00:00 UTC) or an instant ({@code 2027-01-01T05:00:00Z}); an agreement is in force from
 * {@code effective} up to, not including, {@code expires}.
 */
final class VendorSection {

    private static final Set<String> VENDOR_KEYS = Set.of("legalName", "contact", "status", "effective", "expires", "phiScope", "agreement");
    private static final Set<String> SCOPE_KEYS = Set.of("routes", "resourceTypes");
    private static final Set<String> AGREEMENT_KEYS = Set.of("file", "sha256");

    private final ConfigurationParser parser;

    VendorSection(ConfigurationParser parser) {
        this.parser = parser;
    }

    Optional<VendorSpec> vendor(String name, Node node) {
        String field = "vendors." + name;
        parser.lines.put(field, ConfigurationParser.line(node));
        if (!parser.validName(name, field, node)) {
            return Optional.empty();
        }
        Map<String, Node> keys = parser.mapping(node, field);
        parser.unknownKeys(node, keys.keySet(), VENDOR_KEYS, field);
        int before = parser.problemCount();
        String legalName = parser.required(node, keys, field, "legalName");
        String contact = parser.required(node, keys, field, "contact");
        Optional<VendorSpec.Status> status = parser.optional(keys, field, "status").flatMap(text -> parser.choice(VendorSpec.Status.values(),
                VendorSpec.Status::slug, text, keys.get("status"), field + ".status"));
        if (!keys.containsKey("status")) {
            parser.invalid(node, field + ".status", "is required: draft, active or terminated");
        }
        Optional<Instant> effective = date(keys, field, "effective", node);
        Optional<Instant> expires = date(keys, field, "expires", node);
        Optional<PhiScope> scope = keys.containsKey("phiScope") ? scope(keys.get("phiScope"), field + ".phiScope")
                : parser.invalid(node, field + ".phiScope", "is required: the routes or FHIR resource types the agreement covers");
        Optional<VendorSpec.Agreement> agreement = keys.containsKey("agreement") ? agreement(keys.get("agreement"), field + ".agreement")
                : Optional.empty();
        if (parser.problemCount() > before || status.isEmpty() || effective.isEmpty() || expires.isEmpty() || scope.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new VendorSpec(name, legalName, contact, status.get(), effective.get(), expires.get(), scope.get(), agreement));
        } catch (IllegalArgumentException e) {
            return parser.invalid(node, field, e.getMessage());
        }
    }

    private Optional<Instant> date(Map<String, Node> keys, String field, String key, Node owner) {
        if (!keys.containsKey(key)) {
            return parser.invalid(owner, field + "." + key, "is required: a date such as 2027-01-01 or an instant such as 2027-01-01T05:00:00Z");
        }
        return parser.optional(keys, field, key).flatMap(text -> {
            try {
                return Optional.of(text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                return parser.invalid(keys.get(key), field + "." + key, "'" + text + "' is not a date such as 2027-01-01 or an instant such as 2027-01-01T05:00:00Z");
            }
        });
    }

    private Optional<PhiScope> scope(Node node, String field) {
        Map<String, Node> keys = parser.mapping(node, field);
        parser.unknownKeys(node, keys.keySet(), SCOPE_KEYS, field);
        Set<String> routes = texts(keys.get("routes"), field + ".routes");
        Set<String> types = texts(keys.get("resourceTypes"), field + ".resourceTypes");
        try {
            return Optional.of(new PhiScope(routes, types));
        } catch (IllegalArgumentException e) {
            return parser.invalid(node, field, e.getMessage());
        }
    }

    private Optional<VendorSpec.Agreement> agreement(Node node, String field) {
        Map<String, Node> keys = parser.mapping(node, field);
        parser.unknownKeys(node, keys.keySet(), AGREEMENT_KEYS, field);
        String file = parser.required(node, keys, field, "file");
        String sha256 = parser.required(node, keys, field, "sha256");
        try {
            return Optional.of(new VendorSpec.Agreement(file, sha256));
        } catch (IllegalArgumentException e) {
            return parser.invalid(node, field, e.getMessage());
        }
    }

    private Set<String> texts(Node node, String field) {
        Set<String> result = new TreeSet<>();
        if (node != null) {
            parser.sequence(node, field).forEach(item -> parser.scalar(item, field).ifPresent(result::add));
        }
        return result;
    }
}
