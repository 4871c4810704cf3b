// SPDX-License-Identifier: Apache-2.0
package org.phigate.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The warning steps, read against a clock the test sets. */
class ExpiryNoticeTest {

    private static final Instant EXPIRES = Instant.parse("2027-03-01T00:00:00Z");

    private static String stage(ExpiryNotice.Kind kind, Duration beforeExpiry) {
        Clock clock = Clock.fixed(EXPIRES.minus(beforeExpiry), ZoneOffset.UTC);
        return ExpiryNotice.at(clock.instant(), kind, "acme-labs", EXPIRES).map(ExpiryNotice::stage).orElse("none");
    }

    @Test
    void anAgreementIsAnnouncedSixtyThirtyAndSevenDaysAheadAndAtExpiry() {
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(60).plusSeconds(1))).isEqualTo("none");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(60))).isEqualTo("60d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(31))).isEqualTo("60d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(30))).isEqualTo("30d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(14))).isEqualTo("30d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(7))).isEqualTo("7d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofSeconds(1))).isEqualTo("7d");
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ZERO)).isEqualTo(ExpiryNotice.EXPIRED);
        assertThat(stage(ExpiryNotice.Kind.BAA, Duration.ofDays(-400))).isEqualTo(ExpiryNotice.EXPIRED);
    }

    @Test
    void aCertificateIsAnnouncedThirtyFourteenAndSevenDaysAhead() {
        assertThat(stage(ExpiryNotice.Kind.CERTIFICATE, Duration.ofDays(45))).isEqualTo("none");
        assertThat(stage(ExpiryNotice.Kind.CERTIFICATE, Duration.ofDays(30))).isEqualTo("30d");
        assertThat(stage(ExpiryNotice.Kind.CERTIFICATE, Duration.ofDays(14))).isEqualTo("14d");
        assertThat(stage(ExpiryNotice.Kind.CERTIFICATE, Duration.ofDays(3))).isEqualTo("7d");
    }

    @Test
    void theNoticeSaysHowManyWholeDaysAreLeftAndNamesTheItem() {
        ExpiryNotice notice = ExpiryNotice.at(EXPIRES.minus(Duration.ofDays(29).plusHours(5)), ExpiryNotice.Kind.BAA, "acme-labs", EXPIRES).orElseThrow();

        assertThat(notice.daysLeft()).isEqualTo(29);
        assertThat(notice.describe()).contains("business associate agreement acme-labs", "29 days left", "30d");
    }
}
