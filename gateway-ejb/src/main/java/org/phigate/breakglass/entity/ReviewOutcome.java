// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.entity;

import java.util.Locale;
import java.util.Optional;

/** What a privacy officer concluded about a break-glass event. */
public enum ReviewOutcome {
    /** The emergency access was justified. */
    APPROVED,
    /** Suspected inappropriate access: it goes to the security incident procedures (164.308(a)(6)). */
    FLAGGED;

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReviewOutcome> of(String slug) {
        for (ReviewOutcome outcome : values()) {
            if (outcome.slug().equals(slug)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
