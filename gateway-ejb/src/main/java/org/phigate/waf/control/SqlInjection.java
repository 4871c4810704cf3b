// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQL injection, found the way libinjection finds it: a value is cut into SQL tokens, each token reduced to one
 * letter of class (string, number, keyword, operator...), and the letters are matched against the token patterns of
 * the rules. The value is read three times, as if it began outside a quote, inside a single-quoted string and inside
 * a double-quoted string, because an attacker's text starts wherever the application's quote left off. Words
 * ("Select Specialty Hospital", "O'Brien") are only names until they form SQL's grammar.
 */
public final class SqlInjection {

    private static final int MAX_TOKENS = 64;
    private static final Set<String> LOGIC = Set.of("and", "or", "xor", "not", "rlike", "regexp", "like", "is", "sounds");
    private static final Set<String> STATEMENTS = Set.of("select", "insert", "update", "delete", "drop", "create", "alter",
            "truncate", "exec", "execute", "declare", "shutdown", "grant", "revoke", "merge", "replace", "call", "handler", "load", "rename");
    private static final Set<String> KEYWORDS = Set.of("from", "where", "into", "table", "values", "set", "order", "group", "by",
            "having", "limit", "offset", "case", "when", "then", "else", "end", "null", "in", "between", "as", "join", "all",
            "distinct", "top", "procedure", "database", "schema", "column", "outfile", "dumpfile", "char", "varchar", "nvarchar",
            "delay", "begin", "cast", "convert", "concat", "substring", "ascii", "count", "version", "user", "current_user",
            "if", "ifnull", "coalesce", "mid", "length", "hex", "unhex", "chr", "asc", "desc", "exists");

    private final List<WafRule> rules;
    /**
     * The verdict on each fingerprint seen, for the two scopes without exclusions: traffic has few distinct
     * fingerprints, so the patterns run once per shape, not once per value. Bounded, so that no client can grow it.
     */
    private static final int MAX_REMEMBERED = 20_000;
    private final Map<String, Integer> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> freeTextVerdicts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each rule's patterns as one alternation, in the order of {@link #rules}. */
    private final List<Pattern> patterns;
    private final Set<String> functions;
    private final Set<String> catalogs;
    private final Map<String, Character> vocabulary;
    private final int longestWord;

    public SqlInjection(WafRules rules) {
        this.rules = List.of(rules.rule("PHIG-WAF-2001"), rules.rule("PHIG-WAF-2002"), rules.rule("PHIG-WAF-2003"),
                rules.rule("PHIG-WAF-2004"), rules.rule("PHIG-WAF-2005"), rules.rule("PHIG-WAF-2006"),
                rules.rule("PHIG-WAF-2007"), rules.rule("PHIG-WAF-2008"));
        this.patterns = this.rules.stream().map(r -> Pattern.compile(
                r.patterns().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|")))).toList();
        this.functions = Set.copyOf(rules.rule("PHIG-WAF-2005").words("functions"));
        this.catalogs = Set.copyOf(rules.rule("PHIG-WAF-2006").words("catalogs"));
        this.vocabulary = vocabulary(functions, catalogs);
        this.longestWord = vocabulary.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    public Optional<WafRule> detect(String value, RuleScope scope) {
        Optional<WafRule> found = match(fingerprint(value, '\0'), scope);
        if (found.isEmpty() && value.indexOf('\'') >= 0) {
            found = match(fingerprint(value, '\''), scope);
        }
        if (found.isEmpty() && value.indexOf('"') >= 0) {
            found = match(fingerprint(value, '"'), scope);
        }
        return found;
    }

    private Optional<WafRule> match(String fingerprint, RuleScope scope) {
        if (!couldMatch(fingerprint)) {
            return Optional.empty();
        }
        Map<String, Integer> known = scope == RuleScope.ALL ? verdicts : scope == RuleScope.FREE_TEXT ? freeTextVerdicts : null;
        Integer cached = known == null ? null : known.get(fingerprint);
        int verdict = cached != null ? cached : firstMatch(fingerprint, scope);
        if (cached == null && known != null && known.size() < MAX_REMEMBERED) {
            known.put(fingerprint, verdict);
        }
        return verdict < 0 ? Optional.empty() : Optional.of(rules.get(verdict));
    }

    private int firstMatch(String fingerprint, RuleScope scope) {
        for (int i = 0; i < rules.size(); i++) {
            if (scope.allows(rules.get(i)) && patterns.get(i).matcher(fingerprint).find()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every pattern of the rules needs a string, a logic operator, a keyword, a comment, UNION, a statement
     * separator or keyword, a dangerous function or a system catalog; names, numbers and operators alone are prose.
     * {@code WafTest} checks this against the rules file.
     */
    static boolean couldMatch(String fingerprint) {
        for (int i = 0; i < fingerprint.length(); i++) {
            if (SIGNIFICANT.indexOf(fingerprint.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    static final String SIGNIFICANT = "s&kcU;FSE";

    /** The token classes of {@code value} read as if it began inside a {@code quote} ('\0': outside any quote). */
    String fingerprint(String value, char quote) {
        StringBuilder classes = new StringBuilder();
        int i = 0;
        int n = value.length();
        if (quote != '\0') {
            i = endOfString(value, 0, quote);
            classes.append('s');
        }
        while (i < n && classes.length() < MAX_TOKENS) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || c == '+' && i + 1 < n && value.charAt(i + 1) == '+') {
                i++;
            } else if (c == '\'' || c == '"') {
                i = endOfString(value, i + 1, c);
                classes.append('s');
            } else if (c == '`') {
                i = skipPast(value, i + 1, "`");
                classes.append('n');
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(value.charAt(i + 1))) {
                i = endOfNumber(value, i);
                classes.append('1');
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                i = word(value, i, classes);
            } else if (c == '@') {
                i = endOfWord(value, value.startsWith("@@", i) ? i + 2 : i + 1);
                classes.append('v');
            } else {
                i = symbol(value, i, classes);
            }
        }
        return withoutInnerComments(classes);
    }

    private int word(String value, int start, StringBuilder classes) {
        int end = endOfWord(value, start);
        int next = end;
        while (next < value.length() && (Character.isWhitespace(value.charAt(next)) || value.startsWith("/**/", next))) {
            next += value.charAt(next) == '/' ? 4 : 1;
        }
        boolean call = next < value.length() && value.charAt(next) == '(';
        char type = end - start < 2 || end - start > longestWord ? 'n' : classOf(value.substring(start, end).toLowerCase(Locale.ROOT));
        if (type == 'F' && !call && !value.regionMatches(true, start, "waitfor", 0, 7)) {
            type = 'n';
        }
        classes.append(call && (type == 'n' || type == 'k') ? 'f' : type);
        return end;
    }

    /** The class of a word, by the vocabulary; a dotted word whose first part is a catalog is a catalog. */
    private char classOf(String word) {
        Character type = vocabulary.get(word);
        if (type == null && word.indexOf('.') > 0) {
            type = catalogs.contains(word.substring(0, word.indexOf('.'))) ? Character.valueOf('S') : null;
        }
        return type == null ? 'n' : type;
    }

    /** Every word the tokenizer knows, with its class; where a word has two, the first listed here wins. */
    private static Map<String, Character> vocabulary(Set<String> functions, Set<String> catalogs) {
        Map<String, Character> words = new HashMap<>();
        words.put("true", '1');
        words.put("false", '1');
        words.put("union", 'U');
        functions.forEach(w -> words.putIfAbsent(w, 'F'));
        catalogs.forEach(w -> words.putIfAbsent(w, 'S'));
        LOGIC.forEach(w -> words.putIfAbsent(w, w.equals("and") || w.equals("or") || w.equals("xor") ? '&' : 'o'));
        STATEMENTS.forEach(w -> words.putIfAbsent(w, 'E'));
        KEYWORDS.forEach(w -> words.putIfAbsent(w, 'k'));
        return Map.copyOf(words);
    }

    private static int symbol(String value, int i, StringBuilder classes) {
        char c = value.charAt(i);
        char next = i + 1 < value.length() ? value.charAt(i + 1) : '\0';
        if (c == '-' && next == '-' || c == '#') {
            classes.append('c');
            int eol = value.indexOf('\n', i);
            return eol < 0 ? value.length() : eol + 1;
        }
        if (c == '/' && next == '*') {
            classes.append('c');
            return skipPast(value, i + 2, "*/");
        }
        if (c == '|' && next == '|' || c == '&' && next == '&') {
            classes.append('&');
            return i + 2;
        }
        if (c == '(' || c == ')' || c == ',' || c == ';') {
            classes.append(c);
            return i + 1;
        }
        if ("=<>!+-*/%^|&~:".indexOf(c) >= 0) {
            classes.append('o');
            int end = i + 1;
            while (end < value.length() && "=<>!|&".indexOf(value.charAt(end)) >= 0 && end - i < 3) {
                end++;
            }
            return end;
        }
        classes.append('x');
        return i + 1;
    }

    /** Comments between tokens are whitespace to SQL ({@code UNION/**}{@code /SELECT}); only a trailing one counts. */
    private static String withoutInnerComments(StringBuilder classes) {
        StringBuilder out = new StringBuilder(classes.length());
        for (int i = 0; i < classes.length(); i++) {
            char c = classes.charAt(i);
            boolean last = i == classes.length() - 1;
            if (c == 'c' && !last) {
                continue;
            }
            if ((c == 'n' || c == '1') && out.length() > 0 && out.charAt(out.length() - 1) == c) {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static int endOfString(String value, int from, char quote) {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote && i + 1 < value.length() && value.charAt(i + 1) == quote) {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return value.length();
    }

    private static int endOfNumber(String value, int start) {
        int i = start;
        if (value.startsWith("0x", i) || value.startsWith("0X", i) || value.startsWith("0b", i)) {
            i += 2;
        }
        while (i < value.length() && (Character.isLetterOrDigit(value.charAt(i)) || value.charAt(i) == '.')) {
            i++;
        }
        return i;
    }

    private static int endOfWord(String value, int start) {
        int i = start;
        while (i < value.length() && (Character.isLetterOrDigit(value.charAt(i)) || value.charAt(i) == '_'
                || value.charAt(i) == '$' || value.charAt(i) == '.' && i + 1 < value.length() && Character.isLetter(value.charAt(i + 1)))) {
            i++;
        }
        return i;
    }

    private static int skipPast(String value, int from, String end) {
        int at = value.indexOf(end, from);
        return at < 0 ? value.length() : at + end.length();
    }
}
