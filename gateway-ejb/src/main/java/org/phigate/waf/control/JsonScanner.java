// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON body once, strictly (RFC 8259), and hands every key and every string value to a visitor with its
 * path ({@code $.note[0].text}). Numbers, booleans and null carry nothing to inspect. A WAF must refuse what it cannot
 * read, so malformed JSON and nesting past {@link #MAX_DEPTH} are errors, not skipped.
 */
public final class JsonScanner {

    public static final int MAX_DEPTH = 64;

    /** Receives the strings of the document; {@code key} is the member name the string is the value of, or "" in an array. */
    public interface Visitor {
        /** @return whether to go on */
        boolean string(JsonPath path, String key, String value, boolean isKey);
    }

    /** The path of the value in hand, built into text only when a finding or an exclusion needs it. */
    public static final class JsonPath {
        private final List<Object> segments = new ArrayList<>();

        void push(Object segment) {
            segments.add(segment);
        }

        void pop() {
            segments.remove(segments.size() - 1);
        }

        void replaceLast(Object segment) {
            segments.set(segments.size() - 1, segment);
        }

        /** Whether the value in hand is the first element of an array. */
        public boolean isFirstInArray() {
            return !segments.isEmpty() && segments.get(segments.size() - 1) instanceof Integer index && index == 0;
        }

        /** The name of the member that holds the innermost object, {@code text} for {@code $.text.div}. */
        public String parentKey() {
            for (int i = segments.size() - 2; i >= 0; i--) {
                if (segments.get(i) instanceof String key) {
                    return key;
                }
            }
            return "";
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("$");
            for (Object s : segments) {
                if (s instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    out.append('.').append(s);
                }
            }
            return out.toString();
        }
    }

    private final String text;
    private final Visitor visitor;
    private final JsonPath path = new JsonPath();
    private int at;
    private boolean stopped;

    private JsonScanner(String text, Visitor visitor) {
        this.text = text;
        this.visitor = visitor;
    }

    public static void scan(String text, Visitor visitor) throws UnreadableBody {
        JsonScanner scanner = new JsonScanner(text, visitor);
        scanner.whitespace();
        scanner.value("", 0);
        scanner.whitespace();
        if (!scanner.stopped && scanner.at != text.length()) {
            throw malformed("content after the JSON value");
        }
    }

    private void value(String key, int depth) throws UnreadableBody {
        if (stopped) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new UnreadableBody("PHIG-WAF-1017", "nested deeper than " + MAX_DEPTH);
        }
        char c = peek();
        if (c == '{') {
            object(depth);
        } else if (c == '[') {
            array(key, depth);
        } else if (c == '"') {
            String value = string();
            stopped = !visitor.string(path, key, value, false);
        } else if (c == '-' || c >= '0' && c <= '9') {
            number();
        } else {
            literal();
        }
    }

    private void object(int depth) throws UnreadableBody {
        if (opens('}')) {
            return;
        }
        path.push("");
        do {
            whitespace();
            if (peek() != '"') {
                throw malformed("a member name must be a string");
            }
            String key = string();
            path.replaceLast(key);
            stopped = !visitor.string(path, key, key, true);
            if (stopped) {
                return;
            }
            whitespace();
            expect(':');
            whitespace();
            value(key, depth + 1);
        } while (another('}'));
        path.pop();
    }

    private void array(String key, int depth) throws UnreadableBody {
        if (opens(']')) {
            return;
        }
        path.push(0);
        int index = 0;
        do {
            path.replaceLast(index++);
            whitespace();
            value(key, depth + 1);
        } while (another(']'));
        path.pop();
    }

    /** Steps over the opening bracket; true when the container is empty and already closed. */
    private boolean opens(char close) throws UnreadableBody {
        at++;
        whitespace();
        if (peek() == close) {
            at++;
            return true;
        }
        return false;
    }

    /**
     * After a member or an element: true when a comma says another follows, false at the closing bracket or once
     * the visitor has stopped (the rest of the document is not read).
     */
    private boolean another(char close) throws UnreadableBody {
        if (stopped) {
            return false;
        }
        whitespace();
        if (peek() == ',') {
            at++;
            return true;
        }
        expect(close);
        return false;
    }

    private String string() throws UnreadableBody {
        at++;
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                return text.substring(start, at++);
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0x20) {
                throw malformed("a control character in a string");
            }
            at++;
        }
        throw malformed("an unterminated string");
    }

    private String escapedString(int start) throws UnreadableBody {
        StringBuilder out = new StringBuilder(text.length() - start < 64 ? 64 : 256);
        out.append(text, start, at);
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                at++;
                continue;
            }
            if (at + 1 >= text.length()) {
                break;
            }
            char e = text.charAt(at + 1);
            at += 2;
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw malformed("an invalid escape");
            }
        }
        throw malformed("an unterminated string");
    }

    private char unicodeEscape() throws UnreadableBody {
        if (at + 4 > text.length()) {
            throw malformed("a short unicode escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
                throw malformed("an invalid unicode escape");
            }
            code = code * 16 + digit;
        }
        at += 4;
        return (char) code;
    }

    private void number() throws UnreadableBody {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        digits();
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            digits();
        }
        if (at == start) {
            throw malformed("an invalid number");
        }
    }

    private void digits() throws UnreadableBody {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == start) {
            throw malformed("an invalid number");
        }
    }

    private void literal() throws UnreadableBody {
        for (String literal : new String[] {"true", "false", "null"}) {
            if (text.startsWith(literal, at)) {
                at += literal.length();
                return;
            }
        }
        throw malformed("an unexpected character");
    }

    private void whitespace() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\n' || text.charAt(at) == '\r' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    private char peek() throws UnreadableBody {
        if (at >= text.length()) {
            throw malformed("the body ends early");
        }
        return text.charAt(at);
    }

    private void expect(char c) throws UnreadableBody {
        if (peek() != c) {
            throw malformed("expected '" + c + "'");
        }
        at++;
    }

    private static UnreadableBody malformed(String why) {
        return new UnreadableBody("PHIG-WAF-1013", why);
    }
}
