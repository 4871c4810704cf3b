// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.Optional;
import java.util.Set;

/**
 * OS command injection, found by reading the value as a shell would: after each command separator ({@code ;},
 * {@code |}, {@code &}, a newline) the next word is a command when it is a known one and what follows it looks like
 * a shell argument (nothing, an option, a path, a redirection, a number at the end). So "; cat /etc/passwd" is a
 * command and "; cat scan at 3pm" is a sentence. A command substitution ({@code $(...)}, backticks) holding a known
 * command is refused even in free text.
 */
public final class CommandInjection {

    private final WafRule separated;
    private final WafRule substitution;
    private final WafRule shellOnly;
    private final Set<String> commands;
    private final WordSet shellWords;

    public CommandInjection(WafRules rules) {
        separated = rules.rule("PHIG-WAF-6001");
        substitution = rules.rule("PHIG-WAF-6002");
        shellOnly = rules.rule("PHIG-WAF-6003");
        commands = Set.copyOf(separated.words("commands"));
        shellWords = new WordSet(shellOnly.words("words"));
    }

    /** @param value the value in lower case */
    public Optional<WafRule> detect(String value, RuleScope scope) {
        if (scope.allows(shellOnly) && shellWords.foundIn(value)) {
            return Optional.of(shellOnly);
        }
        if (scope.allows(substitution) && substitutes(value)) {
            return Optional.of(substitution);
        }
        if (scope.allows(separated) && separatedCommand(value)) {
            return Optional.of(separated);
        }
        return Optional.empty();
    }

    private boolean substitutes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean opens = c == '`' || c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(';
            if (opens && isCommand(value, i + (c == '`' ? 1 : 2), true)) {
                return true;
            }
        }
        return false;
    }

    private boolean separatedCommand(String value) {
        if (isCommand(value, 0, false) && value.indexOf(' ') > 0 && looksLikeShellLine(value)) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r') && isCommand(value, i + 1, false)) {
                return true;
            }
        }
        return false;
    }

    /** A value that is itself a command line with an option or a path: {@code cat /etc/passwd}, {@code nc -e}. */
    private static boolean looksLikeShellLine(String value) {
        int space = value.indexOf(' ');
        String rest = value.substring(space + 1).stripLeading();
        return !rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '/' || rest.charAt(0) == '$') && !rest.contains(". ");
    }

    /** Whether a known command starts at {@code from} (after blanks, quotes, braces) with a shell-like argument. */
    private boolean isCommand(String value, int from, boolean inSubstitution) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || "|&;{('\"".indexOf(value.charAt(i)) >= 0)) {
            i++;
        }
        int start = i;
        while (i < value.length() && (Character.isLetterOrDigit(value.charAt(i)) || "/._-\\'\"".indexOf(value.charAt(i)) >= 0)) {
            i++;
        }
        if (i == start) {
            return false;
        }
        String word = value.substring(start, i).replace("'", "").replace("\"", "").replace("\\", "");
        String command = word.substring(word.lastIndexOf('/') + 1);
        if (!commands.contains(command) || word.contains("/") && !word.startsWith("/")) {
            return false;
        }
        return inSubstitution || argumentFollows(value, i);
    }

    private boolean argumentFollows(String value, int afterCommand) {
        int i = afterCommand;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == '+')) {
            i++;
        }
        if (i >= value.length()) {
            return true;
        }
        char c = value.charAt(i);
        if ("-/$.~<>|;&`'\"%{\n\r#".indexOf(c) >= 0 || c == '\\') {
            return true;
        }
        int end = i;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end)) && ";|&`".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        String token = value.substring(i, end);
        if (token.contains("://") || token.length() > 2 && token.charAt(1) == ':' && (token.charAt(2) == '\\' || token.charAt(2) == '/')) {
            return true;
        }
        if (isHostOrFile(token) || commands.contains(token)) {
            return true;
        }
        if (Character.isDigit(c) && token.chars().allMatch(Character::isDigit)) {
            int after = end;
            while (after < value.length() && value.charAt(after) == ' ') {
                after++;
            }
            return after == value.length() || "-/$.~;|&`'\"\n".indexOf(value.charAt(after)) >= 0;
        }
        return false;
    }

    /** {@code evil.example}, {@code 203.0.113.7}, {@code x.sh}: a dot between two word characters. */
    private static boolean isHostOrFile(String token) {
        for (int i = 1; i < token.length() - 1; i++) {
            if (token.charAt(i) == '.' && Character.isLetterOrDigit(token.charAt(i - 1)) && Character.isLetterOrDigit(token.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }
}
