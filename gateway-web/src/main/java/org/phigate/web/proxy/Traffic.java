// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests per minute over the last hour, by what the gateway did with them (forwarded, refused, failed), for the
 * console's dashboard. Counted when an exchange completes, lock-free: three array increments per request. A minute's
 * slot is reused an hour later; a count racing with that reuse may land in the wrong minute, which a dashboard can bear.
 */
public final class Traffic {

    /** One minute of traffic. */
    public record Minute(Instant start, long forwarded, long refused, long failed) {
        public long total() {
            return forwarded + refused + failed;
        }
    }

    enum Fate {
        FORWARDED, REFUSED, FAILED
    }

    static final int MINUTES = 60;
    private final Clock clock;
    private final AtomicLongArray minuteOfSlot = new AtomicLongArray(MINUTES);
    private final AtomicLongArray counts = new AtomicLongArray(MINUTES * 3);

    public Traffic(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int slot = 0; slot < MINUTES; slot++) {
            minuteOfSlot.set(slot, -1);
        }
    }

    void count(Fate fate) {
        long minute = clock.millis() / 60_000;
        int slot = (int) (minute % MINUTES);
        long seen = minuteOfSlot.get(slot);
        if (seen != minute && minuteOfSlot.compareAndSet(slot, seen, minute)) {
            for (int i = 0; i < 3; i++) {
                counts.set(slot * 3 + i, 0);
            }
        }
        counts.incrementAndGet(slot * 3 + fate.ordinal());
    }

    /** The last {@code n} minutes (at most an hour), newest first: the current minute, then the last full one; minutes without traffic as zeros. */
    public List<Minute> lastMinutes(int n) {
        long now = clock.millis() / 60_000;
        List<Minute> minutes = new ArrayList<>();
        for (long minute = now; minute > now - Math.min(n, MINUTES); minute--) {
            int slot = (int) (minute % MINUTES);
            boolean current = minuteOfSlot.get(slot) == minute;
            minutes.add(new Minute(Instant.ofEpochSecond(minute * 60), current ? counts.get(slot * 3) : 0,
                    current ? counts.get(slot * 3 + 1) : 0, current ? counts.get(slot * 3 + 2) : 0));
        }
        return minutes;
    }
}
