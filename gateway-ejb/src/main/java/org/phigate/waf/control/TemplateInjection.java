// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Optional;

/**
 * Server-side template and expression-language injection. The delimiters of the common engines ({@code ${...}},
 * {@code #{...}}, {@code *{...}}, {@code %{...}}, {@code {{...}}}) are found and their content tokenized: an
 * expression that computes ({@code 7*7}), calls ({@code x.y()}, {@code T(...)}) or looks up ({@code jndi:}) is refused;
 * a bare placeholder such as {@code {{name}}} is not. Log4Shell's nested lookups ({@code ${${lower:j}ndi:...}}) are
 * flattened before they are judged.
 */
public final class TemplateInjection {

    private static final String[] OPENERS = {"${", "#{", "*{", "%{", "@{", "@(", "{{", "{%", "<%="};

    private final WafRule expression;
    private final WafRule lookup;
    private final WafRule directive;
    private final WordSet directives;
    private final List<String> roots;

    public TemplateInjection(WafRules rules) {
        expression = rules.rule("PHIG-WAF-7001");
        lookup = rules.rule("PHIG-WAF-7002");
        directive = rules.rule("PHIG-WAF-7003");
        directives = new WordSet(directive.words("words"));
        roots = expression.words("roots");
    }

    /** @param value the value in lower case */
    public Optional<WafRule> detect(String value, RuleScope scope) {
        if (value.indexOf('{') < 0 && value.indexOf('<') < 0 && value.indexOf('#') < 0 && value.indexOf('_') < 0
                && value.indexOf('.') < 0 && value.indexOf('[') < 0 && value.indexOf('@') < 0) {
            return Optional.empty();
        }
        if (scope.allows(lookup) && value.contains("${") && isLookup(flattenLookups(value))) {
            return Optional.of(lookup);
        }
        if (scope.allows(directive) && directives.foundIn(value)) {
            return Optional.of(directive);
        }
        if (scope.allows(expression)) {
            for (String opener : OPENERS) {
                for (int at = value.indexOf(opener); at >= 0; at = value.indexOf(opener, at + 1)) {
                    if (computes(value, at + opener.length()) || startsWithRoot(value, at + opener.length())) {
                        return Optional.of(expression);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** An expression that begins at an engine's dangerous root object ({@code ${applicationScope}}, {@code {{config}}}). */
    private boolean startsWithRoot(String value, int from) {
        int i = from;
        while (i < value.length() && value.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < value.length() && (Character.isLetterOrDigit(value.charAt(i)) || value.charAt(i) == '_')) {
            i++;
        }
        if (i == start || !roots.contains(value.substring(start, i))) {
            return false;
        }
        while (i < value.length() && value.charAt(i) == ' ') {
            i++;
        }
        return i < value.length() && (value.charAt(i) == '}' || value.charAt(i) == '.' || value.charAt(i) == '[' || value.charAt(i) == '|');
    }

    private static boolean isLookup(String flattened) {
        for (String scheme : List.of("${jndi:", "${ldap:", "${rmi:", "${dns:", "${ctx:", "${env:", "${sys:", "${java:", "${main:",
                "${spring:", "${script:", "${url:", "${base64:", "${k8s:", "${docker:", "${log4j:", "${bundle:", "${web:", "${date:")) {
            if (flattened.contains(scheme)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ${lower:j}} becomes {@code j}, {@code ${::-n}} becomes {@code n}, innermost first, a bounded number of times. */
    static String flattenLookups(String value) {
        String current = value;
        for (int round = 0; round < 8; round++) {
            StringBuilder out = new StringBuilder(current.length());
            boolean changed = false;
            int i = 0;
            while (i < current.length()) {
                int open = current.indexOf("${", i);
                if (open < 0) {
                    out.append(current, i, current.length());
                    break;
                }
                int close = current.indexOf('}', open);
                int nested = current.indexOf("${", open + 2);
                if (close < 0 || nested >= 0 && nested < close) {
                    out.append(current, i, open + 2);
                    i = open + 2;
                    continue;
                }
                String inner = current.substring(open + 2, close);
                String replacement = simpleLookup(inner);
                out.append(current, i, open);
                if (replacement == null) {
                    out.append(current, open, close + 1);
                } else {
                    out.append(replacement);
                    changed = true;
                }
                i = close + 1;
            }
            if (!changed) {
                return out.toString();
            }
            current = out.toString();
        }
        return current;
    }

    private static String simpleLookup(String inner) {
        int defaultAt = inner.indexOf(":-");
        if (defaultAt >= 0) {
            return inner.substring(defaultAt + 2);
        }
        if (inner.startsWith("lower:") || inner.startsWith("upper:")) {
            return inner.substring(6);
        }
        return null;
    }

    /**
     * Whether the expression starting at {@code from} has an operator between operands, a call, an index, or another
     * template opened inside it (the probes that find out which engine is listening).
     */
    private static boolean computes(String value, int from) {
        int end = Math.min(value.length(), from + 200);
        boolean operand = false;
        for (int i = from; i < end; i++) {
            char c = value.charAt(i);
            if (c == '}' || c == '%' && i + 1 < end && value.charAt(i + 1) == '>') {
                return false;
            }
            if (c == '{' || c == '<' && i + 1 < end && value.charAt(i + 1) == '%') {
                return true;
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == '"' || c == '\'') {
                operand = true;
            } else if (c == '(' && operand || c == '[' && operand) {
                return true;
            } else if ("*+/-%^|&<>=~!?".indexOf(c) >= 0 && operand && nextIsOperand(value, i + 1, end)) {
                return true;
            } else if (c == '.' && operand && i + 1 < end && Character.isLetter(value.charAt(i + 1)) && callFollows(value, i + 1, end)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nextIsOperand(String value, int from, int end) {
        int i = from;
        while (i < end && (value.charAt(i) == ' ' || "*+/-%^|&<>=~!".indexOf(value.charAt(i)) >= 0)) {
            i++;
        }
        return i < end && (Character.isLetterOrDigit(value.charAt(i)) || value.charAt(i) == '(' || value.charAt(i) == '"' || value.charAt(i) == '\'');
    }

    private static boolean callFollows(String value, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = value.charAt(i);
            if (c == '(' || c == '[') {
                return true;
            }
            if (c == '}') {
                return false;
            }
        }
        return false;
    }
}
