// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import jakarta.ejb.ApplicationException;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration that was not applied, with every problem found. Rolls back whatever was begun. */
@ApplicationException(rollback = true)
public class ConfigurationRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigurationRejected(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
