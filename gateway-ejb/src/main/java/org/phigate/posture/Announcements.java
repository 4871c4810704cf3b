// SPDX-License-Identifier: Apache-2.0
package org.phigate.posture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which expiry notices are news: each agreement or certificate is announced once per stage it reaches, not on every
 * check. An item is known by its kind, name and expiry, so a renewed one (a new expiry) is announced again from its
 * first stage; items no longer due are forgotten. Not thread-safe: its owner checks from one thread at a time.
 */
public final class Announcements {

    private Map<String, String> announced = new HashMap<>();

    /** The notices not announced at their stage yet; from now on they are. */
    public List<ExpiryNotice> due(List<ExpiryNotice> notices) {
        Map<String, String> now = new HashMap<>();
        notices.forEach(n -> now.put(key(n), n.stage()));
        List<ExpiryNotice> news = notices.stream().filter(n -> !n.stage().equals(announced.get(key(n)))).toList();
        announced = now;
        return news;
    }

    private static String key(ExpiryNotice notice) {
        return notice.kind() + ":" + notice.name() + ":" + notice.expires();
    }
}
