// SPDX-License-Identifier: Apache-2.0
package org.phigate.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each item is announced once per stage it reaches, and a renewed one again from its first stage. */
class AnnouncementsTest {

    private static final Instant EXPIRES = Instant.parse("2027-03-01T00:00:00Z");

    private static List<ExpiryNotice> at(Duration beforeExpiry, Instant expires) {
        return ExpiryNotice.at(expires.minus(beforeExpiry), ExpiryNotice.Kind.BAA, "acme-labs", expires).stream().toList();
    }

    @Test
    void aStageIsAnnouncedOnceAndTheNextStageAgain() {
        Announcements announcements = new Announcements();

        assertThat(announcements.due(at(Duration.ofDays(59), EXPIRES))).extracting(ExpiryNotice::stage).containsExactly("60d");
        assertThat(announcements.due(at(Duration.ofDays(58), EXPIRES))).as("the same stage, ten minutes later").isEmpty();
        assertThat(announcements.due(at(Duration.ofDays(29), EXPIRES))).extracting(ExpiryNotice::stage).containsExactly("30d");
        assertThat(announcements.due(at(Duration.ZERO, EXPIRES))).extracting(ExpiryNotice::stage).containsExactly(ExpiryNotice.EXPIRED);
        assertThat(announcements.due(at(Duration.ofDays(-1), EXPIRES))).isEmpty();
    }

    @Test
    void aRenewedAgreementIsAnnouncedAgainFromItsFirstStage() {
        Announcements announcements = new Announcements();
        Instant renewed = EXPIRES.plus(Duration.ofDays(365));

        assertThat(announcements.due(at(Duration.ofDays(59), EXPIRES))).hasSize(1);
        assertThat(announcements.due(List.of())).as("renewed: nothing due").isEmpty();
        assertThat(announcements.due(at(Duration.ofDays(59), renewed))).as("a year later, the same stage of the new agreement")
                .extracting(ExpiryNotice::expires).containsExactly(renewed);
        assertThat(announcements.due(at(Duration.ofDays(59), renewed))).isEmpty();
    }
}
