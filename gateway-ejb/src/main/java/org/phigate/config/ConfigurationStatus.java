// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What became of the configuration file: the last version applied and, if the newest version was refused,
 * why. Operators read it from the health endpoint; it holds no PHI.
 */
public record ConfigurationStatus(Optional<String> file, Optional<String> appliedSha256, Optional<Instant> appliedAt,
                                  Optional<String> refusedSha256, List<ConfigProblem> problems) implements Serializable {

    public ConfigurationStatus {
        problems = List.copyOf(problems);
    }

    public static ConfigurationStatus none() {
        return new ConfigurationStatus(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public ConfigurationStatus applied(String file, String sha256, Instant at) {
        return new ConfigurationStatus(Optional.of(file), Optional.of(sha256), Optional.of(at), Optional.empty(), List.of());
    }

    /** @param sha256 the refused version; empty when the file could not be read at all */
    public ConfigurationStatus refused(String file, String sha256, List<ConfigProblem> why) {
        return new ConfigurationStatus(Optional.of(file), appliedSha256, appliedAt,
                sha256.isEmpty() ? Optional.empty() : Optional.of(sha256), why);
    }
}
