// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One audit record as a line of an export. CSV follows RFC 4180 (quoted where needed, CRLF), and a field that a
 * spreadsheet would read as a formula (=, +, -, @ first) is prefixed with an apostrophe: an export is opened by people.
 */
final class AuditExport {

    /** Made on first use: the JSON binding provider is the server's. */
    private static final class Json {
        static final Jsonb BINDING = JsonbBuilder.create();
    }

    private AuditExport() {
    }

    static String jsonLine(Map<String, Object> record) {
        return Json.BINDING.toJson(record) + "\n";
    }

    static String csv(Map<String, Object> record, List<String> columns) {
        return columns.stream().map(c -> field(record.get(c))).collect(Collectors.joining(",")) + "\r\n";
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
