// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditRecords;
import org.phigate.web.api.AuditExport;

/**
 * The audit export as a download from the console (gateway-auditor): the same lines as the admin API's export, streamed
 * in constant memory. Below /console, so the sign-in and the console's own checks apply; every export is logged.
 */
@WebServlet("/console/export")
public class ConsoleExport extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ConsoleExport.class.getName());

    @EJB
    transient AuditRecords records;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("gateway-auditor")) {
            response.sendError(403);
            return;
        }
        boolean csv = "csv".equals(request.getParameter("format"));
        Instant end;
        Instant start;
        try {
            end = instant(request.getParameter("to"), Instant.now());
            start = instant(request.getParameter("from"), end.minus(Duration.ofDays(1)));
        } catch (DateTimeParseException e) {
            response.sendError(400, "PHIG-4001 from and to are ISO-8601 instants, such as 2026-11-26T10:00:00Z");
            return;
        }
        LOG.info(() -> "PHIG-0422 audit export " + start + " to " + end + (csv ? " (csv)" : " (jsonl)") + " through the console by "
                + request.getUserPrincipal().getName());
        response.setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
        response.setHeader("Content-Disposition", "attachment; filename=\"phigate-audit-" + start.toString().replace(':', '-')
                + (csv ? ".csv" : ".jsonl") + "\"");
        AuditExport.write(records, start, end, csv, response.getOutputStream());
    }

    private static Instant instant(String value, Instant otherwise) {
        return value == null || value.isBlank() ? otherwise : Instant.parse(value.trim());
    }
}
