// SPDX-License-Identifier: Apache-2.0
package org.phigate.posture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that expires soon, or has: a business associate agreement or a certificate. The {@code stage} is the
 * smallest warning step the time left falls within ({@code "60d"}, {@code "30d"}, {@code "7d"} for an agreement,
 * {@code "30d"}, {@code "14d"}, {@code "7d"} for a certificate), or {@code "expired"}. Pure: the time is the caller's.
 */
public record ExpiryNotice(Kind kind, String name, Instant expires, String stage, long daysLeft) {

    public static final String EXPIRED = "expired";

    /** What expires, with the days ahead of its expiry at which it is announced, largest first. */
    public enum Kind {
        BAA("business associate agreement", List.of(60, 30, 7)),
        CERTIFICATE("certificate", List.of(30, 14, 7));

        public final String title;
        public final List<Integer> stepsInDays;

        Kind(String title, List<Integer> stepsInDays) {
            this.title = title;
            this.stepsInDays = stepsInDays;
        }
    }

    public ExpiryNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(stage, "stage");
    }

    /** The notice due at {@code now} for something that expires at {@code expires}; empty while it is further off than the first step. */
    public static Optional<ExpiryNotice> at(Instant now, Kind kind, String name, Instant expires) {
        Duration left = Duration.between(now, expires);
        if (left.isNegative() || left.isZero()) {
            return Optional.of(new ExpiryNotice(kind, name, expires, EXPIRED, 0));
        }
        String stage = null;
        for (int days : kind.stepsInDays) {
            if (left.compareTo(Duration.ofDays(days)) <= 0) {
                stage = days + "d";
            }
        }
        long daysLeft = left.toDays();
        return Optional.ofNullable(stage).map(s -> new ExpiryNotice(kind, name, expires, s, daysLeft));
    }

    public boolean expired() {
        return stage.equals(EXPIRED);
    }

    /** The log line's text, without PHI (names of vendors and certificates are configuration, not patient data). */
    public String describe() {
        return expired() ? "the " + kind.title + " " + name + " expired at " + expires
                : "the " + kind.title + " " + name + " expires at " + expires + " (" + daysLeft + " days left, within the " + stage + " warning)";
    }
}
