// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.Serializable;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.web.api.AuditResource;

/** Every configuration change from the audit trail, newest first: who, when, through what, the item before and after. */
@Named
@ViewScoped
public class ChangeHistory implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    transient AuditRecords records;

    @Inject
    Console console;

    private String from = "";
    private String to = "";
    private final AuditPages pages = new AuditPages("changes:from");
    private boolean loaded;

    public List<Map<String, Object>> getRows() {
        if (!loaded) {
            loaded = true;
            pages.first(this::query);
        }
        return pages.rows();
    }

    public void search() {
        pages.first(this::query);
    }

    public void next() {
        pages.next(this::query);
    }

    public void previous() {
        pages.previous(this::query);
    }

    private List<Map<String, Object>> query(int offset, int limit) throws SQLException {
        if (!console.canReadAudit()) {
            return List.of();
        }
        return records.changes(AuditPages.instant(from), AuditPages.instant(to), offset, limit).stream().map(AuditResource::change).toList();
    }

    /** A before or after document indented for reading; anything that is not JSON is shown as it is. */
    public String pretty(Object json) {
        if (json == null) {
            return "";
        }
        try (JsonReader reader = Json.createReader(new StringReader(json.toString()))) {
            StringWriter out = new StringWriter();
            try (JsonWriter writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
                writer.write(reader.readValue());
            }
            return out.toString().trim();
        } catch (JsonException e) {
            return json.toString();
        }
    }

    public boolean isFirstPage() {
        return pages.isFirst();
    }

    public boolean isLastPage() {
        return pages.isLast();
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
