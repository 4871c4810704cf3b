// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Remote file inclusion: a structured value (a query parameter, a form field) that is a URL to a numeric address,
 * a URL that ends in {@code ?} or names a script file (the classic include trick), or a URL of a scheme used to
 * reach internal services. FHIR's canonical URLs ({@code http://loinc.org}, profile URLs) are none of these.
 */
public final class RemoteInclusion {

    private final WafRule numericHost;
    private final WafRule scriptFile;
    private final WafRule scheme;
    private final List<String> extensions;
    private final List<String> schemes;

    public RemoteInclusion(WafRules rules) {
        numericHost = rules.rule("PHIG-WAF-5001");
        scriptFile = rules.rule("PHIG-WAF-5002");
        scheme = rules.rule("PHIG-WAF-5003");
        extensions = scriptFile.words("extensions");
        schemes = scheme.words("schemes");
    }

    public Optional<WafRule> detect(String value, RuleScope scope) {
        String url = value.strip().toLowerCase(Locale.ROOT);
        if (scope.allows(scheme) && schemes.stream().anyMatch(url::startsWith)) {
            return Optional.of(scheme);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("//")) {
            return Optional.empty();
        }
        String rest = url.substring(url.indexOf("//") + 2);
        int end = firstOf(rest, "/?#");
        String authority = rest.substring(0, end);
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[") || host.indexOf(':') >= 0 && host.chars().filter(ch -> ch == ':').count() > 1) {
            return scope.allows(numericHost) ? Optional.of(numericHost) : Optional.empty();
        }
        String bareHost = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        if (scope.allows(numericHost) && (isNumeric(bareHost) || authority.contains("@"))) {
            return Optional.of(numericHost);
        }
        if (scope.allows(scriptFile) && (url.endsWith("?") || namesScript(rest.substring(end)))) {
            return Optional.of(scriptFile);
        }
        return Optional.empty();
    }

    private boolean namesScript(String pathAndQuery) {
        int q = firstOf(pathAndQuery, "?#");
        String path = pathAndQuery.substring(0, q);
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && extensions.contains(path.substring(dot + 1));
    }

    /** Dotted quads, and the single-number and hex forms ({@code 2130706433}, {@code 0x7f000001}) resolvers accept. */
    private static boolean isNumeric(String host) {
        if (host.isEmpty()) {
            return false;
        }
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.startsWith("0x");
    }

    private static int firstOf(String value, String chars) {
        for (int i = 0; i < value.length(); i++) {
            if (chars.indexOf(value.charAt(i)) >= 0) {
                return i;
            }
        }
        return value.length();
    }
}
