// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

/**
 * Decodes the character references a browser decodes in text and attribute values ({@code &#106;}, {@code &#x6A;},
 * {@code &lt;}, {@code &colon;}), so that {@code &#106;avascript:} is read as {@code javascript:}.
 */
final class HtmlEntities {

    private HtmlEntities() {
    }

    static String decode(String value) {
        int amp = value.indexOf('&');
        if (amp < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        out.append(value, 0, amp);
        int i = amp;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = i + 1;
            while (end < value.length() && end - i < 12 && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '#')) {
                end++;
            }
            String name = value.substring(i + 1, end);
            int decoded = codePoint(name);
            if (decoded < 0) {
                out.append(c);
                i++;
            } else {
                out.appendCodePoint(decoded);
                i = end < value.length() && value.charAt(end) == ';' ? end + 1 : end;
            }
        }
        return out.toString();
    }

    private static int codePoint(String name) {
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return name.length() > 2 ? bounded(Integer.parseInt(name.substring(2), 16)) : -1;
            }
            if (name.startsWith("#")) {
                return name.length() > 1 ? bounded(Integer.parseInt(name.substring(1))) : -1;
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "lt" -> '<';
            case "gt" -> '>';
            case "quot" -> '"';
            case "apos" -> '\'';
            case "amp" -> '&';
            case "colon" -> ':';
            case "tab" -> '\t';
            case "newline" -> '\n';
            case "lpar" -> '(';
            case "rpar" -> ')';
            case "sol" -> '/';
            default -> -1;
        };
    }

    private static int bounded(int codePoint) {
        return codePoint >= 0 && codePoint <= Character.MAX_CODE_POINT ? codePoint : -1;
    }
}
