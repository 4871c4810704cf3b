// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.util.Locale;
import java.util.Optional;

/**
 * The raw request target, checked as the backend will read it, before any route is chosen and whatever the route's
 * WAF mode. The gateway forwards the raw path below the route's backend path, so a raw form that the backend could
 * resolve or split differently from the gateway is refused: a byte RFC 3986 does not allow in a path or query (a
 * space would end the backend's request line early, so the backend and the audit record would name different
 * resources), a malformed percent-escape, an empty, {@code .} or {@code ..} segment (which a backend resolves above
 * the backend path), and the encodings of such segments and of separators.
 */
final class RequestTarget {

    /** The path has empty or dot segments, or encodes a separator, a dot or a null byte. */
    static final String NOT_CANONICAL = "PHIG-WAF-1015";
    /** The path or query holds a byte RFC 3986 does not allow there, or a malformed percent-escape. */
    static final String BAD_CHARACTER = "PHIG-WAF-1018";

    private static final boolean[] PCHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            PCHAR[c] = true;
            PCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            PCHAR[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=:@".toCharArray()) {
            PCHAR[c] = true;
        }
    }

    private RequestTarget() {
    }

    /** The rule the raw path and query break, if any. The query is the raw text after {@code ?}, empty if none. */
    static Optional<String> broken(String rawPath, String rawQuery) {
        if (rawPath.indexOf('\\') >= 0 || rawPath.indexOf(';') >= 0 || encodesSeparatorOrDot(rawPath)) {
            return Optional.of(NOT_CANONICAL);
        }
        if (!allowed(rawPath, "/") || !allowed(rawQuery, "/?")) {
            return Optional.of(BAD_CHARACTER);
        }
        if (hasEmptyOrDotSegment(rawPath)) {
            return Optional.of(NOT_CANONICAL);
        }
        return Optional.empty();
    }

    private static boolean encodesSeparatorOrDot(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        return lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || lower.contains("%2e");
    }

    /** RFC 3986: pchar, the extra characters given, and percent-escapes of two hex digits. */
    private static boolean allowed(String raw, String extra) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !PCHAR[c] && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A segment that is empty (other than after a final slash), {@code .} or {@code ..}. */
    private static boolean hasEmptyOrDotSegment(String rawPath) {
        int start = rawPath.startsWith("/") ? 1 : 0;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            int stop = end < 0 ? rawPath.length() : end;
            int length = stop - start;
            boolean last = end < 0;
            if (length == 0 && !last
                    || length == 1 && rawPath.charAt(start) == '.'
                    || length == 2 && rawPath.charAt(start) == '.' && rawPath.charAt(start + 1) == '.') {
                return true;
            }
            if (last) {
                return false;
            }
            start = end + 1;
        }
        return false;
    }
}
