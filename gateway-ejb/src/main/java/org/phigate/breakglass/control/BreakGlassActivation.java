// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.control;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One breaking of the glass: who, through which client, on which route, why, and until when it holds. */
public record BreakGlassActivation(String subject, String username, String clientId, String route, String justification,
                                   String requestId, Instant openedAt, Instant expiresAt) implements Serializable {

    public BreakGlassActivation {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(justification, "justification");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "BreakGlassActivation[subject=" + subject + ", route=" + route + ", until " + expiresAt + "]";
    }
}
