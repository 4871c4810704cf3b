// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {

    private Instant now = Instant.parse("2026-11-26T10:00:30Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void eachMinuteCountsItsOwnRequestsByFate() {
        Traffic traffic = new Traffic(clock);
        traffic.count(Traffic.Fate.FORWARDED);
        traffic.count(Traffic.Fate.FORWARDED);
        traffic.count(Traffic.Fate.REFUSED);
        now = now.plus(Duration.ofMinutes(1));
        traffic.count(Traffic.Fate.FAILED);

        List<Traffic.Minute> minutes = traffic.lastMinutes(3);
        assertThat(minutes).extracting(Traffic.Minute::start)
                .containsExactly(Instant.parse("2026-11-26T10:01:00Z"), Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T09:59:00Z"));
        assertThat(minutes.get(0)).isEqualTo(new Traffic.Minute(Instant.parse("2026-11-26T10:01:00Z"), 0, 0, 1));
        assertThat(minutes.get(1)).isEqualTo(new Traffic.Minute(Instant.parse("2026-11-26T10:00:00Z"), 2, 1, 0));
        assertThat(minutes.get(2).total()).isZero();
    }

    @Test
    void aSlotReusedAnHourLaterStartsFromZeroAndTheOldMinuteIsNotShown() {
        Traffic traffic = new Traffic(clock);
        traffic.count(Traffic.Fate.REFUSED);
        now = now.plus(Duration.ofHours(1));
        traffic.count(Traffic.Fate.FORWARDED);

        Traffic.Minute current = traffic.lastMinutes(1).get(0);
        assertThat(current.forwarded()).isEqualTo(1);
        assertThat(current.refused()).isZero();
        assertThat(traffic.lastMinutes(120)).hasSize(60);
    }
}
