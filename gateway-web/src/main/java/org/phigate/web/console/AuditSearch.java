// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditQuery;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.web.api.AuditResource;

/**
 * Audit search (gateway-auditor): newest first, by time, request id, subject, client, route, vendor, decision, status
 * or patient pseudonym, a page at a time; a record's detail shows every field the trail keeps (never a body).
 */
@Named
@ViewScoped
public class AuditSearch implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AuditSearch.class.getName());
    static final int PAGE = 25;

    @EJB
    transient AuditRecords records;

    @Inject
    Console console;

    private String from = "";
    private String to = "";
    private String requestId = "";
    private String subject = "";
    private String route = "";
    private String decision = "";
    private String patient = "";
    private int offset;
    private List<Map<String, Object>> rows = new ArrayList<>();
    private Map<String, Object> selected;

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
        if (!console.canReadAudit()) {
            return;
        }
        try {
            AuditQuery query = new AuditQuery(instant(from), instant(to), text(requestId), text(subject), Optional.empty(), text(route),
                    Optional.empty(), text(decision), Optional.empty(), text(patient), offset, PAGE);
            rows = new ArrayList<>(records.search(query).stream().map(AuditResource::json).toList());
        } catch (DateTimeParseException e) {
            FacesContext.getCurrentInstance().addMessage("audit:from",
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, "PHIG-4001 From and to are ISO-8601 instants, such as 2026-11-26T10:00:00Z", null));
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, "PHIG-5036 The audit trail cannot be read now; try again, and see the server log if it persists.", null));
        }
    }

    public void show(Map<String, Object> row) {
        selected = row;
    }

    private static Optional<Instant> instant(String value) {
        return text(value).map(Instant::parse);
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public List<Map<String, Object>> getRows() {
        return rows;
    }

    public List<Map.Entry<String, Object>> getSelectedFields() {
        return selected == null ? List.of() : List.copyOf(selected.entrySet());
    }

    public boolean isFirstPage() {
        return offset == 0;
    }

    public boolean isLastPage() {
        return rows.size() < PAGE;
    }

    public int getOffset() {
        return offset;
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

    public String getRequestId() {
        return requestId;
    }

    public void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getRoute() {
        return route;
    }

    public void setRoute(String route) {
        this.route = route;
    }

    public String getDecision() {
        return decision;
    }

    public void setDecision(String decision) {
        this.decision = decision;
    }

    public String getPatient() {
        return patient;
    }

    public void setPatient(String patient) {
        this.patient = patient;
    }
}
