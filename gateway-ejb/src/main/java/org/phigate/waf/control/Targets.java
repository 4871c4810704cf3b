// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

/**
 * Names of the parts of a request a finding points at ({@code query:code}, {@code json:$.note[0].text}) and the
 * matching of exclusion patterns against them. A name is structure only, never content, and is cut to a safe
 * alphabet so an attacker's parameter name cannot carry text into the audit trail.
 */
final class Targets {

    private static final int MAX_NAME = 96;
    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("\\[\\d+]");

    private Targets() {
    }

    static String of(String kind, String name) {
        StringBuilder out = new StringBuilder(kind.length() + Math.min(name.length(), MAX_NAME) + 1).append(kind).append(':');
        for (int i = 0; i < name.length() && i < MAX_NAME; i++) {
            char c = name.charAt(i);
            out.append(Character.isLetterOrDigit(c) && c < 0x80 || "_.-$[]*/@:".indexOf(c) >= 0 ? c : '_');
        }
        return out.toString();
    }

    /** Whether an exclusion's {@code pattern} covers {@code target}: {@code [*]} any index, {@code ..} any depth. */
    static boolean matches(String pattern, String target) {
        if (pattern.equalsIgnoreCase(target)) {
            return pattern.startsWith("header:") || pattern.equals(target);
        }
        if (pattern.startsWith("json:$..")) {
            String key = pattern.substring("json:$..".length());
            return target.startsWith("json:") && (target.endsWith("." + key) || target.endsWith("." + key + "]") || lastKey(target).equals(key));
        }
        if (pattern.contains("[*]")) {
            return INDEX.matcher(target).replaceAll("[*]").equals(pattern);
        }
        return false;
    }

    private static String lastKey(String jsonTarget) {
        String path = INDEX.matcher(jsonTarget).replaceAll("");
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
