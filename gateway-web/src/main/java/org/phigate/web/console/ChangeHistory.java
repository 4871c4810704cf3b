// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.web.api.AuditResource;

/** Every configuration change from the audit trail, newest first: who, when, through what, the item before and after. */
@Named
@ViewScoped
public class ChangeHistory implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ChangeHistory.class.getName());
    static final int PAGE = 25;

    @EJB
    transient AuditRecords records;

    @Inject
    Console console;

    private String from = "";
    private String to = "";
    private int offset;
    private List<Map<String, Object>> rows = new ArrayList<>();
    private boolean loaded;

    public List<Map<String, Object>> getRows() {
        if (!loaded) {
            load();
        }
        return rows;
    }

    public void search() {
        offset = 0;
        load();
    }

    public void next() {
        offset += PAGE;
        load();
    }

    public void previous() {
        offset = Math.max(0, offset - PAGE);
        load();
    }

    private void load() {
        loaded = true;
        if (!console.canReadAudit()) {
            return;
        }
        try {
            rows = new ArrayList<>(records.changes(instant(from), instant(to), offset, PAGE).stream().map(AuditResource::change).toList());
        } catch (DateTimeParseException e) {
            FacesContext.getCurrentInstance().addMessage("changes:from",
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, "PHIG-4001 From and to are ISO-8601 instants, such as 2026-11-26T10:00:00Z", null));
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, "PHIG-5036 The audit trail cannot be read now; try again, and see the server log if it persists.", null));
        }
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

    private static Optional<Instant> instant(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
    }

    public boolean isFirstPage() {
        return offset == 0;
    }

    public boolean isLastPage() {
        return rows.size() < PAGE;
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
