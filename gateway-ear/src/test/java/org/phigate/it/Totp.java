// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30 s), as an authenticator app computes them from a user's secret.
 * Keycloak accepts a code once per user and window, so a second code for the same user in this JVM waits for the
 * next window (at most 30 s) instead of failing.
 */
final class Totp {

    private static final Map<String, Long> LAST_WINDOW = new ConcurrentHashMap<>();

    private Totp() {
    }

    static String freshCode(String user, String base32Secret) throws Exception {
        long window;
        while (true) {
            window = Instant.now().getEpochSecond() / 30;
            Long last = LAST_WINDOW.get(user);
            if (last == null || last < window) {
                break;
            }
            Thread.sleep(500);
        }
        LAST_WINDOW.put(user, window);
        return code(base32Secret, window);
    }

    static String code(String base32Secret, long window) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(window).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        String clean = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(clean.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : clean.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
