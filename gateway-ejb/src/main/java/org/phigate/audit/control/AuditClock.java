// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Audit times: microseconds since the epoch, UTC, as the entries and the database hold them. */
public final class AuditClock {

    private AuditClock() {
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }

    public static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
