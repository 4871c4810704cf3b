// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.phigate.audit.boundary.AuditRecords;

/**
 * One audit record as a line of an export. CSV follows RFC 4180 (quoted where needed, CRLF), and a field that a
 * spreadsheet would read as a formula (=, +, -, @ first) is prefixed with an apostrophe: an export is opened by people.
 */
public final class AuditExport {

    /** Made on first use: the JSON binding provider is the server's. */
    private static final class Json {
        static final Jsonb BINDING = JsonbBuilder.create();
    }

    private static final Logger LOG = Logger.getLogger(AuditExport.class.getName());

    private AuditExport() {
    }

    /** Streams the records of {@code [start, end)} as JSON lines or CSV (with its header row), in constant memory. */
    public static void write(AuditRecords records, Instant start, Instant end, boolean csv, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        if (csv) {
            writer.write(String.join(",", AuditResource.EXPORT_COLUMNS) + "\r\n");
        }
        try {
            records.export(start, end, record -> {
                try {
                    writer.write(csv ? csv(AuditResource.json(record), AuditResource.EXPORT_COLUMNS) : jsonLine(AuditResource.json(record)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit export broke off", e);
            throw new IOException("PHIG-5036 the audit export broke off", e);
        }
        writer.flush();
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
