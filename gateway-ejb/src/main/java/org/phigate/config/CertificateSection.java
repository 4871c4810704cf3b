// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateSource;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code certificates} section of the configuration file: each certificate by name, purpose and the path of
 * its file (relative to the configuration file's folder). Only a configuration file may name server paths; a document
 * sent to the admin API imports certificates through {@code /api/certificates} instead.
 */
final class CertificateSection {

    private static final Set<String> KEYS = Set.of("purpose", "file", "passwordFile");

    private final ConfigurationParser parser;
    private final Optional<Path> folder;

    /** @param file the configuration file's path; a label that is not an absolute path (a request body) names no folder */
    CertificateSection(ConfigurationParser parser, String file) {
        this.parser = parser;
        Path path = Path.of(file.isBlank() ? "." : file);
        this.folder = path.isAbsolute() ? Optional.ofNullable(path.getParent()) : Optional.empty();
    }

    Optional<CertificateSource> certificate(String name, Node node) {
        String field = "certificates." + name;
        parser.lines.put(field, ConfigurationParser.line(node));
        if (!parser.validName(name, field, node)) {
            return Optional.empty();
        }
        if (folder.isEmpty()) {
            return parser.invalid(node, field, "certificates are named by file only in the configuration file; import this one with PUT /api/certificates/" + name);
        }
        Map<String, Node> keys = parser.mapping(node, field);
        parser.unknownKeys(node, keys.keySet(), KEYS, field);
        int before = parser.problemCount();
        Optional<CertificatePurpose> purpose = parser.optional(keys, field, "purpose").flatMap(text -> parser.choice(CertificatePurpose.values(),
                CertificatePurpose::slug, text, keys.get("purpose"), field + ".purpose"));
        if (!keys.containsKey("purpose")) {
            parser.invalid(node, field + ".purpose", "is required: server, client, trust or identity");
        }
        String file = parser.required(node, keys, field, "file");
        Optional<Path> password = parser.optional(keys, field, "passwordFile").map(p -> folder.get().resolve(p));
        if (parser.problemCount() > before || purpose.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CertificateSource(name, purpose.get(), folder.get().resolve(file), password));
    }
}
