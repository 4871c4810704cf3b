// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final AuditPages pages = new AuditPages("audit:from");
    private Map<String, Object> selected;

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
        AuditQuery query = new AuditQuery(AuditPages.instant(from), AuditPages.instant(to), AuditPages.text(requestId), AuditPages.text(subject),
                Optional.empty(), AuditPages.text(route), Optional.empty(), AuditPages.text(decision), Optional.empty(), AuditPages.text(patient),
                offset, limit);
        return records.search(query).stream().map(AuditResource::json).toList();
    }

    public void show(Map<String, Object> row) {
        selected = row;
    }

    public List<Map<String, Object>> getRows() {
        return pages.rows();
    }

    public List<Map.Entry<String, Object>> getSelectedFields() {
        return selected == null ? List.of() : List.copyOf(selected.entrySet());
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
