// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
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

/**
 * Pages of audit-trail rows, newest first, {@value #PAGE} at a time: the audit search and the change history share the
 * paging and what the user sees when the query cannot run (a time that is not ISO-8601, a trail that cannot be read).
 */
final class AuditPages implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AuditPages.class.getName());
    static final int PAGE = 25;

    /** One page of rows from the trail. */
    interface Query {
        List<Map<String, Object>> rows(int offset, int limit) throws SQLException;
    }

    private final String timeField;
    private int offset;
    private List<Map<String, Object>> rows = new ArrayList<>();

    /** @param timeField the client id of the input a time error is shown next to */
    AuditPages(String timeField) {
        this.timeField = timeField;
    }

    void first(Query query) {
        offset = 0;
        load(query);
    }

    void next(Query query) {
        offset += PAGE;
        load(query);
    }

    void previous(Query query) {
        offset = Math.max(0, offset - PAGE);
        load(query);
    }

    private void load(Query query) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            rows = new ArrayList<>(query.rows(offset, PAGE));
        } catch (DateTimeParseException e) {
            String text = "PHIG-4001 From and to are ISO-8601 instants, such as 2026-11-26T10:00:00Z";
            faces.addMessage(timeField, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
        } catch (SQLException e) {
            LOG.log(Level.SEVERE, "PHIG-5036 the audit trail cannot be read", e);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "PHIG-5036 The audit trail cannot be read now; try again, and see the server log if it persists.", null));
        }
    }

    /** An optional time filter: empty when blank. @throws DateTimeParseException when it is not an ISO-8601 instant */
    static Optional<Instant> instant(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
    }

    static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    List<Map<String, Object>> rows() {
        return rows;
    }

    boolean isFirst() {
        return offset == 0;
    }

    boolean isLast() {
        return rows.size() < PAGE;
    }
}
