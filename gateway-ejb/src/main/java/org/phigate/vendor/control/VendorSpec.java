// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor.control;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A business associate as the data plane sees it: who the vendor is, and the agreement (BAA) that allows PHI to go
 * to it. The agreement is in force from {@code effective} (inclusive) to {@code expires} (exclusive) while its status
 * is {@link Status#ACTIVE}; {@link #lapse} is checked against the clock on every request, so an agreement stops
 * covering disclosures the instant it expires, without any change being published.
 */
public record VendorSpec(String name, String legalName, String contact, Status status, Instant effective, Instant expires,
                         PhiScope scope, Optional<Agreement> agreement) {

    /** Where the agreement stands in its life: drafted (not yet signed), active, or terminated by either party. */
    public enum Status {
        DRAFT, ACTIVE, TERMINATED;

        public String slug() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The signed agreement on file: its file name and the SHA-256 of its bytes, so the copy on record can be checked. */
    public record Agreement(String file, String sha256) {
        private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

        public Agreement {
            Objects.requireNonNull(file, "file");
            sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
            if (file.isBlank() || file.length() > 255 || file.contains("/") || file.contains("\\") || file.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the agreement's file name must be 1-255 characters without a path");
            }
            if (!HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("'" + sha256 + "' is not a SHA-256 (64 hex digits)");
            }
        }
    }

    public VendorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(agreement, "agreement");
        legalName = oneLine(legalName, "legalName", 200);
        contact = oneLine(contact, "contact", 200);
        if (!expires.isAfter(effective)) {
            throw new IllegalArgumentException("the agreement must expire after it takes effect");
        }
        if (status == Status.ACTIVE && agreement.isEmpty()) {
            throw new IllegalArgumentException("an active agreement needs the signed agreement on file (agreement: {file, sha256})");
        }
    }

    /** Why the agreement does not cover a disclosure at {@code now}; empty while it is in force. */
    public Optional<String> lapse(Instant now) {
        return switch (status) {
            case DRAFT -> Optional.of(BaaDecision.DRAFT);
            case TERMINATED -> Optional.of(BaaDecision.TERMINATED);
            case ACTIVE -> now.isBefore(effective) ? Optional.of(BaaDecision.NOT_YET_EFFECTIVE)
                    : now.isBefore(expires) ? Optional.empty() : Optional.of(BaaDecision.EXPIRED);
        };
    }

    public boolean inForce(Instant now) {
        return lapse(now).isEmpty();
    }

    private static String oneLine(String text, String field, int max) {
        Objects.requireNonNull(text, field);
        if (text.isBlank() || text.length() > max || text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must be 1-" + max + " characters on one line");
        }
        return text;
    }
}
