// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Optional;

/**
 * Path traversal and local file inclusion: a value read as a file path, with backslashes as slashes and repeated
 * slashes as one, is refused when it climbs out of a directory ({@code ../}), names a well-known sensitive file, or
 * uses a stream wrapper that reads local files.
 */
public final class PathTraversal {

    private final WafRule parent;
    private final WafRule sensitive;
    private final WafRule wrapper;
    private final WordSet files;
    private final List<String> schemes;

    public PathTraversal(WafRules rules) {
        parent = rules.rule("PHIG-WAF-4001");
        sensitive = rules.rule("PHIG-WAF-4002");
        wrapper = rules.rule("PHIG-WAF-4003");
        files = new WordSet(sensitive.words("files"));
        schemes = wrapper.words("schemes");
    }

    /** @param lower the value in lower case */
    public Optional<WafRule> detect(String lower, RuleScope scope) {
        if (lower.indexOf('.') < 0 && lower.indexOf(':') < 0 && lower.indexOf('/') < 0 && lower.indexOf('\\') < 0) {
            return Optional.empty();
        }
        boolean plain = lower.indexOf('\\') < 0 && !lower.contains("//") && !lower.contains("/./");
        String path = plain ? lower : asPath(lower);
        if (scope.allows(parent) && path.contains("..") && climbs(path)) {
            return Optional.of(parent);
        }
        if (scope.allows(sensitive) && namesSensitiveFile(path)) {
            return Optional.of(sensitive);
        }
        if (scope.allows(wrapper)) {
            String start = path.stripLeading();
            if (schemes.stream().anyMatch(start::startsWith)) {
                return Optional.of(wrapper);
            }
        }
        return Optional.empty();
    }

    /** Lower case, backslashes as slashes, runs of slashes as one, {@code /./} as {@code /}. */
    static String asPath(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = Character.toLowerCase(value.charAt(i));
            if (c == '\\') {
                c = '/';
            }
            if (c == '/' && out.length() > 0 && out.charAt(out.length() - 1) == '/' && !(i > 0 && value.charAt(i - 1) == ':')
                    && !(out.length() > 1 && out.charAt(out.length() - 2) == ':')) {
                continue;
            }
            out.append(c);
            if (c == '/' && out.length() >= 3 && out.charAt(out.length() - 2) == '.' && out.charAt(out.length() - 3) == '/') {
                out.setLength(out.length() - 2);
            }
        }
        return out.toString();
    }

    /** A {@code ..} segment: {@code ../x}, {@code x/..}, {@code ..;/} (a Tomcat path parameter) or a bare {@code ..}. */
    private static boolean climbs(String path) {
        int dots = path.indexOf("..");
        while (dots >= 0) {
            boolean startsSegment = dots == 0 || path.charAt(dots - 1) == '/';
            int after = dots + 2;
            while (after < path.length() && path.charAt(after) == '.') {
                after++;
            }
            boolean endsSegment = after == path.length() || path.charAt(after) == '/' || path.charAt(after) == ';';
            if (startsSegment && endsSegment && (after < path.length() || dots > 0 || path.length() == 2)) {
                return true;
            }
            dots = path.indexOf("..", after);
        }
        return false;
    }

    private boolean namesSensitiveFile(String path) {
        for (int at = files.firstIndexIn(path, 0); at >= 0; at = files.firstIndexIn(path, at + 1)) {
            if (at == 0 || path.charAt(at - 1) == '/' || path.charAt(at) == '.') {
                return true;
            }
        }
        return false;
    }
}
