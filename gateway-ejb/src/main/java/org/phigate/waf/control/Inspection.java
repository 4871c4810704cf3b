// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** One request's inspection under one route's policy: the parts of the request in turn, each with its scope. */
final class Inspection {

    private final Waf waf;
    private final WafPolicy policy;

    Inspection(Waf waf, WafPolicy policy) {
        this.waf = waf;
        this.policy = policy;
    }

    Optional<Finding> path(String rawPath) {
        if (rawPath.indexOf('\\') >= 0) {
            return protocol("PHIG-WAF-1015", "path");
        }
        Decoding.Decoded decoded = Decoding.percent(rawPath, false);
        if (decoded.brokenRule().isPresent()) {
            return protocol(decoded.brokenRule().get(), "path");
        }
        String path = decoded.text();
        if (path.contains("//") || path.indexOf('\\') >= 0 || hasDotSegment(path)) {
            return protocol("PHIG-WAF-1015", "path");
        }
        return judge(path, "path", () -> "path", RuleScope.ALL, false);
    }

    Optional<Finding> query(String rawQuery) {
        return pairs(rawQuery, "query", true);
    }

    Optional<Finding> headers(List<RequestParts.Header> headers) {
        for (RequestParts.Header header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (hasControlCharacter(header.value())) {
                return protocol("PHIG-WAF-1005", Targets.of("header", name));
            }
            Optional<Finding> found = Optional.empty();
            if (name.equals("cookie")) {
                found = cookies(header.value());
            } else if (Waf.inspectsHeader(name)) {
                found = judge(header.value(), "header", () -> name, RuleScope.ALL, false);
            }
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    Optional<Finding> body(String contentType, byte[] body, int length) {
        String media = contentType.toLowerCase(Locale.ROOT);
        String type = media.contains(";") ? media.substring(0, media.indexOf(';')).strip() : media.strip();
        if (type.equals("application/x-java-serialized-object")) {
            return Optional.of(new Finding(waf.rules().rule("PHIG-WAF-8001"), "body"));
        }
        boolean json = type.endsWith("/json") || type.endsWith("+json");
        boolean xml = type.endsWith("/xml") || type.endsWith("+xml");
        boolean text = type.startsWith("text/") || type.endsWith("yaml") || type.endsWith("javascript");
        if (type.equals("application/x-www-form-urlencoded")) {
            return pairs(new String(body, 0, length, StandardCharsets.ISO_8859_1), "form", true);
        }
        if (type.equals("multipart/form-data")) {
            return new Multipart(this, media).inspect(body, length);
        }
        if (!json && !xml && !text) {
            return binary(body, 0, length, "body");
        }
        Decoding.Decoded decoded = Decoding.utf8(body, 0, length);
        if (decoded.brokenRule().isPresent()) {
            return protocol(decoded.brokenRule().get(), "body");
        }
        return json ? json(decoded.text()) : xml ? xml(decoded.text()) : judge(decoded.text(), "body", () -> "", RuleScope.ALL, false);
    }

    Optional<Finding> binary(byte[] body, int offset, int length, String target) {
        return waf.binary(body, offset, length, scope(RuleScope.ALL, target)).map(rule -> new Finding(rule, target));
    }

    Optional<Finding> json(String text) {
        Finding[] found = new Finding[1];
        try {
            JsonScanner.scan(text, (path, key, value, isKey) -> {
                found[0] = jsonString(path, key, value, isKey).orElse(null);
                return found[0] == null;
            });
        } catch (UnreadableBody e) {
            return protocol(e.rule(), "body");
        }
        return Optional.ofNullable(found[0]);
    }

    private Optional<Finding> jsonString(JsonScanner.JsonPath path, String key, String value, boolean isKey) {
        Supplier<String> name = path::toString;
        if (isKey) {
            return isIdentifier(value) ? Optional.empty() : judge(value, "json", name, RuleScope.ALL, false);
        }
        Optional<WafRule> hint = waf.typeHint(key, value, RuleScope.ALL).or(() -> path.isFirstInArray() ? waf.typedArray(value, RuleScope.ALL) : Optional.empty());
        if (hint.isPresent()) {
            return Optional.of(new Finding(hint.get(), Targets.of("json", name.get())));
        }
        if (Waf.isBase64(key, policy)) {
            String target = Targets.of("json", name.get());
            return waf.base64(value, scope(RuleScope.ALL, target)).map(rule -> new Finding(rule, target));
        }
        if (policy.profile() == WafPolicy.Profile.FHIR && key.equals("div") && path.parentKey().equals("text")) {
            String target = Targets.of("json", name.get());
            return waf.narrative(value, scope(RuleScope.FREE_TEXT, target)).map(rule -> new Finding(rule, target));
        }
        return judge(value, "json", name, Waf.isFreeText(key, policy) ? RuleScope.FREE_TEXT : RuleScope.ALL, false);
    }

    Optional<Finding> xml(String text) {
        Finding[] found = new Finding[1];
        try {
            XmlScanner.scan(text, new XmlScanner.Visitor() {
                @Override
                public boolean text(String path, String element, String value) {
                    boolean prose = path.contains("/div/") || path.endsWith("/div") || Waf.isFreeText(element, policy);
                    if (Waf.isBase64(element, policy)) {
                        String target = Targets.of("xml", path);
                        found[0] = waf.base64(value, scope(RuleScope.ALL, target)).map(rule -> new Finding(rule, target)).orElse(null);
                    } else {
                        found[0] = judge(value, "xml", () -> path, prose ? RuleScope.FREE_TEXT : RuleScope.ALL, false).orElse(null);
                    }
                    return found[0] == null;
                }

                @Override
                public boolean xhtmlTag(String path, String tag) {
                    String target = Targets.of("xml", path);
                    found[0] = waf.narrative(tag, scope(RuleScope.FREE_TEXT, target)).map(rule -> new Finding(rule, target)).orElse(null);
                    return found[0] == null;
                }
            });
        } catch (UnreadableBody e) {
            return protocol(e.rule(), "body");
        }
        return Optional.ofNullable(found[0]);
    }

    /** {@code a=1&b=2} of a query string or a form; FHIR's text searches ({@code _text}, {@code :text}) are prose. */
    private Optional<Finding> pairs(String raw, String kind, boolean plusIsSpace) {
        int start = 0;
        while (start < raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            Optional<Finding> found = pair(raw.substring(start, end), kind, plusIsSpace);
            if (found.isPresent()) {
                return found;
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private Optional<Finding> pair(String pair, String kind, boolean plusIsSpace) {
        if (pair.isEmpty()) {
            return Optional.empty();
        }
        int eq = pair.indexOf('=');
        Decoding.Decoded name = Decoding.percent(eq < 0 ? pair : pair.substring(0, eq), plusIsSpace);
        if (name.brokenRule().isPresent()) {
            return protocol(name.brokenRule().get(), Targets.of(kind, "(name)"));
        }
        String target = Targets.of(kind, name.text());
        Decoding.Decoded value = Decoding.percent(eq < 0 ? "" : pair.substring(eq + 1), plusIsSpace);
        if (value.brokenRule().isPresent()) {
            return protocol(value.brokenRule().get(), target);
        }
        Optional<Finding> found = judge(name.text(), kind, name::text, RuleScope.ALL, false);
        if (found.isPresent()) {
            return found;
        }
        boolean prose = policy.profile() == WafPolicy.Profile.FHIR
                && (name.text().equals("_text") || name.text().equals("_content") || name.text().endsWith(":text"));
        return judge(value.text(), kind, name::text, prose ? RuleScope.FREE_TEXT : RuleScope.ALL, true);
    }

    private Optional<Finding> cookies(String header) {
        for (String cookie : header.split(";")) {
            int eq = cookie.indexOf('=');
            String name = (eq < 0 ? cookie : cookie.substring(0, eq)).strip();
            Decoding.Decoded value = Decoding.percent(eq < 0 ? "" : cookie.substring(eq + 1).strip(), false);
            if (value.brokenRule().isPresent()) {
                return protocol(value.brokenRule().get(), Targets.of("cookie", name));
            }
            Optional<Finding> found = judge(value.text(), "cookie", () -> name, RuleScope.ALL, false);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** One value under the base scope narrowed by the route's exclusions for its target. */
    Optional<Finding> judge(String value, String kind, Supplier<String> name, RuleScope base, boolean urlsMayInclude) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (policy.exclusions().isEmpty()) {
            return waf.value(value, base, urlsMayInclude).map(rule -> new Finding(rule, Targets.of(kind, name.get())));
        }
        String target = Targets.of(kind, name.get());
        return waf.value(value, scope(base, target), urlsMayInclude).map(rule -> new Finding(rule, target));
    }

    RuleScope scope(RuleScope base, String target) {
        if (policy.exclusions().isEmpty()) {
            return base;
        }
        return rule -> base.allows(rule) && policy.exclusions().stream().noneMatch(e -> e.covers(rule.id(), target));
    }

    Optional<Finding> protocol(String ruleId, String target) {
        WafRule rule = waf.rules().rule(ruleId);
        return scope(RuleScope.ALL, target).allows(rule) ? Optional.of(new Finding(rule, target)) : Optional.empty();
    }

    /**
     * A member name of letters, digits and underscores, as every FHIR element name is: one token, which no rule
     * can match, so the detectors are spared it.
     */
    static boolean isIdentifier(String key) {
        if (key.isEmpty() || key.length() > 64) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return !key.contains("rO0AB") && !key.toLowerCase(Locale.ROOT).contains("aced0005");
    }

    /** A segment that is {@code .} or {@code ..}, found without splitting the path (this runs on every request). */
    private static boolean hasDotSegment(String path) {
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            if (dot > 0 && path.charAt(dot - 1) != '/') {
                continue;
            }
            int end = dot + 1 < path.length() && path.charAt(dot + 1) == '.' ? dot + 2 : dot + 1;
            if (end == path.length() || path.charAt(end) == '/') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
