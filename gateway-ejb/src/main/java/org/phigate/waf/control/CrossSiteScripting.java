// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site scripting, found by reading the value as a browser's HTML tokenizer would: a tag begins only where
 * {@code <} is followed by a letter, so lab values such as {@code <5} or {@code > 200} are text. Each tag's name and
 * attributes are judged against the rules' word lists; a value with no tag is judged as a URL and as a script
 * context (a quote broken out of into a call of a known sink). FHIR narrative ({@code text.div}) is held to the
 * narrower set of elements FHIR allows.
 */
public final class CrossSiteScripting {

    private final WafRule element;
    private final WafRule handler;
    private final WafRule scriptUrl;
    private final WafRule style;
    private final WafRule breakOut;
    private final WafRule narrative;
    private final Set<String> tags;
    private final List<String> schemes;
    private final Set<String> urlAttributes;
    private final List<String> styleWords;
    private final List<String> sinks;
    private final Set<String> narrativeTags;

    public CrossSiteScripting(WafRules rules) {
        element = rules.rule("PHIG-WAF-3001");
        handler = rules.rule("PHIG-WAF-3002");
        scriptUrl = rules.rule("PHIG-WAF-3003");
        style = rules.rule("PHIG-WAF-3004");
        breakOut = rules.rule("PHIG-WAF-3005");
        narrative = rules.rule("PHIG-WAF-3006");
        tags = Set.copyOf(element.words("tags"));
        schemes = scriptUrl.words("schemes");
        urlAttributes = Set.copyOf(scriptUrl.words("attributes"));
        styleWords = style.words("words");
        sinks = breakOut.words("sinks");
        narrativeTags = Set.copyOf(narrative.words("narrativeTags"));
    }

    public Optional<WafRule> detect(String value, RuleScope scope) {
        return detect(value, scope, false);
    }

    /** For FHIR narrative: any element outside FHIR's narrative set is refused as well. */
    public Optional<WafRule> detectNarrative(String xhtml, RuleScope scope) {
        return detect(xhtml, scope, true);
    }

    private Optional<WafRule> detect(String raw, RuleScope scope, boolean isNarrative) {
        String value = HtmlEntities.decode(raw);
        int lt = value.indexOf('<');
        while (lt >= 0) {
            Optional<WafRule> found = tag(value, lt, scope, isNarrative);
            if (found.isPresent()) {
                return found;
            }
            lt = value.indexOf('<', lt + 1);
        }
        if (scope.allows(scriptUrl) && isScriptUrl(value)) {
            return Optional.of(scriptUrl);
        }
        if (scope.allows(handler) && breaksOutIntoHandler(value)) {
            return Optional.of(handler);
        }
        if (scope.allows(breakOut) && breaksOutIntoSink(value)) {
            return Optional.of(breakOut);
        }
        return Optional.empty();
    }

    /** Judges the tag that may start at {@code lt}: its name, then each attribute. */
    private Optional<WafRule> tag(String value, int lt, RuleScope scope, boolean isNarrative) {
        int i = lt + 1;
        if (i < value.length() && value.charAt(i) == '/') {
            i++;
        }
        int nameStart = i;
        while (i < value.length() && (Character.isLetterOrDigit(value.charAt(i)) || value.charAt(i) == ':' || value.charAt(i) == '-')) {
            i++;
        }
        if (i == nameStart || !Character.isLetter(value.charAt(nameStart))) {
            return Optional.empty();
        }
        String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
        String local = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
        if (scope.allows(element) && tags.contains(local)) {
            return Optional.of(element);
        }
        if (isNarrative && scope.allows(narrative) && !narrativeTags.contains(local)) {
            return Optional.of(narrative);
        }
        return attributes(value, i, scope);
    }

    private Optional<WafRule> attributes(String value, int from, RuleScope scope) {
        int i = from;
        while (i < value.length() && value.charAt(i) != '>' && value.charAt(i) != '<') {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || c == '/' || c == '"' || c == '\'') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < value.length() && "=>< \t\n\r\f/".indexOf(value.charAt(i)) < 0) {
                i++;
            }
            String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            String attributeValue = "";
            if (i < value.length() && value.charAt(i) == '=') {
                i++;
                while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
                    i++;
                }
                int valueEnd = attributeValueEnd(value, i);
                attributeValue = value.substring(Math.min(i + (isQuote(value, i) ? 1 : 0), valueEnd), valueEnd);
                i = Math.min(value.length(), valueEnd + (isQuote(value, i) ? 1 : 0));
            }
            Optional<WafRule> found = attribute(name, attributeValue, scope);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<WafRule> attribute(String name, String attributeValue, RuleScope scope) {
        if (scope.allows(handler) && name.length() > 2 && name.startsWith("on") && name.chars().skip(2).allMatch(Character::isLetter)) {
            return Optional.of(handler);
        }
        if (scope.allows(scriptUrl) && (urlAttributes.contains(name) || name.endsWith(":href")) && isScriptUrl(attributeValue)) {
            return Optional.of(scriptUrl);
        }
        if (scope.allows(style) && name.equals("style")) {
            String css = attributeValue.toLowerCase(Locale.ROOT).replace("\\", "").replaceAll("/\\*.*?\\*/", "");
            if (styleWords.stream().anyMatch(css::contains)) {
                return Optional.of(style);
            }
        }
        return Optional.empty();
    }

    private static boolean isQuote(String value, int i) {
        return i < value.length() && (value.charAt(i) == '"' || value.charAt(i) == '\'' || value.charAt(i) == '`');
    }

    private static int attributeValueEnd(String value, int start) {
        if (isQuote(value, start)) {
            int close = value.indexOf(value.charAt(start), start + 1);
            return close < 0 ? value.length() : close;
        }
        int i = start;
        while (i < value.length() && !Character.isWhitespace(value.charAt(i)) && value.charAt(i) != '>') {
            i++;
        }
        return i;
    }

    /** A URL whose scheme runs script once browsers drop the whitespace and control characters they ignore. */
    private boolean isScriptUrl(String value) {
        int colon = value.indexOf(':');
        if (colon < 0 || colon > 60) {
            return false;
        }
        StringBuilder compact = new StringBuilder(Math.min(value.length(), 40));
        for (int i = 0; i < value.length() && compact.length() < 40; i++) {
            char c = value.charAt(i);
            if (c > ' ' && c != '\u007f') {
                compact.append(Character.toLowerCase(c));
            }
        }
        String start = compact.toString();
        return schemes.stream().anyMatch(start::startsWith);
    }

    /** {@code "-alert(1)-"}, {@code ';prompt`x`//}: a quote, then an operator, then a known sink called. */
    private boolean breaksOutIntoSink(String value) {
        if (indexOfQuote(value, 0) < 0) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (int quote = indexOfQuote(lower, 0); quote >= 0; quote = indexOfQuote(lower, quote + 1)) {
            int i = quote + 1;
            while (i < lower.length() && (Character.isWhitespace(lower.charAt(i)) || ")};".indexOf(lower.charAt(i)) >= 0)) {
                i++;
            }
            if (i >= lower.length() || "-+*/;,|&^%?:(".indexOf(lower.charAt(i)) < 0 && i == quote + 1) {
                continue;
            }
            while (i < lower.length() && ("-+*/;,|&^%?:( ".indexOf(lower.charAt(i)) >= 0 || Character.isWhitespace(lower.charAt(i)))) {
                i++;
            }
            for (String sink : sinks) {
                if (lower.startsWith(sink, i) && calls(lower, i + sink.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code " autofocus onfocus="...}: a quote that closes an attribute, then an event handler attribute. */
    private static boolean breaksOutIntoHandler(String value) {
        for (int quote = indexOfQuote(value, 0); quote >= 0; quote = indexOfQuote(value, quote + 1)) {
            int i = quote + 1;
            for (int words = 0; words < 4 && i < value.length(); words++) {
                while (i < value.length() && (Character.isWhitespace(value.charAt(i)) || value.charAt(i) == '/')) {
                    i++;
                }
                int start = i;
                while (i < value.length() && (Character.isLetter(value.charAt(i)) || value.charAt(i) == '-')) {
                    i++;
                }
                if (i == start) {
                    break;
                }
                String word = value.substring(start, i).toLowerCase(Locale.ROOT);
                int next = i;
                while (next < value.length() && Character.isWhitespace(value.charAt(next))) {
                    next++;
                }
                boolean assigned = next < value.length() && value.charAt(next) == '=';
                if (assigned && word.length() > 4 && word.startsWith("on")) {
                    return true;
                }
                if (assigned) {
                    break;
                }
            }
        }
        return false;
    }

    private static int indexOfQuote(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\'' || c == '`' || c == '>') {
                return i;
            }
        }
        return -1;
    }

    private static boolean calls(String value, int afterSink) {
        int i = afterSink;
        while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
            i++;
        }
        return i < value.length() && (value.charAt(i) == '(' || value.charAt(i) == '`' || value.charAt(i) == '.' || value.charAt(i) == '['
                || value.charAt(i) == '=');
    }
}
