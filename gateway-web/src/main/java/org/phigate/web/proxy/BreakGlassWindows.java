// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which callers have broken the glass on which route, until when: within its window a caller's further
 * requests (each still carrying a justification) need no new event. Per node and in memory: after a restart
 * the next use records a new event, which errs on the side of more review, not less.
 */
final class BreakGlassWindows {

    private final Duration length;
    private final Map<String, Instant> openUntil = new ConcurrentHashMap<>();

    BreakGlassWindows(Duration length) {
        this.length = length;
    }

    Duration length() {
        return length;
    }

    boolean isOpen(String subject, String route, Instant now) {
        Instant until = openUntil.get(key(subject, route));
        if (until == null) {
            return false;
        }
        if (until.isBefore(now)) {
            openUntil.remove(key(subject, route), until);
            return false;
        }
        return true;
    }

    void open(String subject, String route, Instant until) {
        openUntil.put(key(subject, route), until);
    }

    private static String key(String subject, String route) {
        return subject + '\u0000' + route;
    }
}
