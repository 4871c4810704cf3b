// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit entry as one flat JSON object, as the syslog messages and the retention archives carry it: every field of
 * the entry under its record name, null fields left out, the time as {@code at} (RFC 3339, microseconds, UTC).
 * {@link #read} takes back exactly what {@link #write} makes, so an archived entry can be hashed again; it reads
 * flat objects of strings, numbers, booleans and null, nothing else, without a JSON library (the command-line
 * verifier has none on its class path).
 */
public final class AuditJson {

    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditJson() {
    }

    public static String write(AuditEntry e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", e.kind().name());
        fields.put("node", e.node());
        fields.put("seq", e.seq());
        fields.put("at", TIME.format(AuditClock.instant(e.atMicros())));
        fields.put("requestId", e.requestId());
        fields.put("subject", e.subject());
        fields.put("clientId", e.clientId());
        fields.put("serviceIdentity", e.serviceIdentity());
        fields.put("sourceIp", e.sourceIp());
        fields.put("tlsProtocol", e.tlsProtocol());
        fields.put("tlsCipher", e.tlsCipher());
        fields.put("method", e.method());
        fields.put("route", e.route());
        fields.put("path", e.path());
        fields.put("resourceType", e.resourceType());
        fields.put("interaction", e.interaction());
        fields.put("patient", e.patient());
        fields.put("decision", e.decision().name());
        fields.put("reason", e.reason());
        fields.put("breakGlass", e.breakGlass());
        fields.put("backend", e.backend());
        fields.put("vendor", e.vendor());
        fields.put("status", e.status());
        fields.put("bytesIn", e.bytesIn());
        fields.put("bytesOut", e.bytesOut());
        fields.put("durationMicros", e.durationMicros());
        fields.put("aborted", e.aborted());
        fields.put("before", e.before());
        fields.put("after", e.after());
        fields.put("prevHash", e.prevHash());
        fields.put("hash", e.hash());
        return object(fields);
    }

    public static AuditEntry read(String line) {
        Map<String, Object> f = parse(line);
        Instant at = Instant.from(TIME.parse(text(f, "at")));
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        return new AuditEntry(AuditEntry.Kind.valueOf(text(f, "kind")), text(f, "node"), number(f, "seq"), micros, text(f, "requestId"),
                text(f, "subject"), text(f, "clientId"), text(f, "serviceIdentity"), text(f, "sourceIp"), text(f, "tlsProtocol"),
                text(f, "tlsCipher"), text(f, "method"), text(f, "route"), text(f, "path"), text(f, "resourceType"),
                text(f, "interaction"), text(f, "patient"), AuditEntry.Decision.valueOf(text(f, "decision")), text(f, "reason"),
                Boolean.TRUE.equals(f.get("breakGlass")), text(f, "backend"), text(f, "vendor"), (int) number(f, "status"), number(f, "bytesIn"),
                number(f, "bytesOut"), number(f, "durationMicros"), Boolean.TRUE.equals(f.get("aborted")), text(f, "before"),
                text(f, "after"), text(f, "prevHash"), text(f, "hash"));
    }

    /** A flat JSON object of strings, numbers (long) and booleans; nulls are left out. */
    public static String object(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder(512).append('{');
        fields.forEach((name, value) -> {
            if (value != null) {
                json.append(json.length() > 1 ? "," : "");
                string(json, name);
                json.append(':');
                if (value instanceof String text) {
                    string(json, text);
                } else {
                    json.append(value);
                }
            }
        });
        return json.append('}').toString();
    }

    /** Reads a flat object as {@link #object} writes it. */
    public static Map<String, Object> parse(String json) {
        return new Reader(json).object();
    }

    private static String text(Map<String, Object> f, String name) {
        Object v = f.get(name);
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (!(v instanceof Long n)) {
            throw new IllegalArgumentException("'" + name + "' is not a number");
        }
        return n;
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> result = new LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
                return end(result);
            }
            do {
                String name = string();
                expect(':');
                result.put(name, value());
            } while (next() == ',');
            i--;
            expect('}');
            return end(result);
        }

        private Map<String, Object> end(Map<String, Object> result) {
            skipSpace();
            if (i != s.length()) {
                throw error("text after the object");
            }
            return result;
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            if (c == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw error("a value was expected");
            }
            return Long.parseLong(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("'" + c + "' was expected");
            }
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private char peek() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not an audit JSON object at character " + i + ": " + what);
        }
    }
}
