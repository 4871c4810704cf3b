// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.time.Instant;
import java.util.Optional;

/**
 * What an auditor searches for; every criterion is optional. {@code patient} is the real patient id: it is turned
 * into its pseudonym before it goes near the database, and is never stored or logged.
 */
public record AuditQuery(Optional<Instant> from, Optional<Instant> to, Optional<String> requestId, Optional<String> subject,
                         Optional<String> client, Optional<String> route, Optional<String> vendor, Optional<String> decision,
                         Optional<Integer> status, Optional<String> patient, int offset, int limit) {

    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset >= 0 and limit 1-" + MAX_LIMIT);
        }
    }
}
