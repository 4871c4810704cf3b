// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.boundary.SyslogForwarding;
import org.phigate.config.ConfigProblem;
import org.phigate.web.proxy.DataPlaneExtension;
import org.phigate.config.ConfigurationStatus;
import org.phigate.config.ConfigurationWatch;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTable;

/**
 * Readiness for operators and the run command: the route table in service, what became of the
 * configuration file (applied, or refused with file, line, field and code) and whether the audit store takes
 * entries (while it does not, PHI routes answer 503). Holds no PHI.
 */
@Path("health")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @EJB
    Routes routes;

    @EJB
    ConfigurationWatch configuration;

    @EJB
    AuditJournal audit;

    @EJB
    SyslogForwarding syslog;

    @GET
    @Public
    public Map<String, Object> health() {
        RouteTable table = routes.current();
        ConfigurationStatus config = configuration.status();
        Map<String, Object> configJson = new LinkedHashMap<>();
        config.file().ifPresent(f -> configJson.put("file", f));
        config.appliedSha256().ifPresent(s -> configJson.put("appliedSha256", s));
        config.appliedAt().ifPresent(t -> configJson.put("appliedAt", t.toString()));
        config.refusedSha256().ifPresent(s -> configJson.put("refusedSha256", s));
        configJson.put("problems", problems(config.problems()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("routeTableGeneration", table.generation());
        body.put("routes", table.routes().size());
        body.put("pools", table.pools().size());
        body.put("configuration", configJson);
        Map<String, Object> auditJson = new LinkedHashMap<>();
        auditJson.put("node", audit.node());
        auditJson.put("storeUp", audit.storeUp());
        auditJson.put("recording", !Boolean.getBoolean(DataPlaneExtension.AUDIT_OFF));
        AuditJournal.JournalStatus journal = audit.journalStatus();
        auditJson.put("journal", Map.of("durableThrough", journal.durableThrough(), "shippedThrough", journal.shippedThrough(),
                "unshipped", journal.durableThrough() - journal.shippedThrough(), "diskBytes", journal.diskBytes()));
        syslog.status().ifPresent(s -> auditJson.put("syslog", Map.of("connected", s.connected(), "forwardedThrough", s.forwarded())));
        body.put("audit", auditJson);
        return body;
    }

    static List<Map<String, Object>> problems(List<ConfigProblem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", p.code());
            m.put("file", p.file());
            m.put("line", p.line());
            m.put("field", p.field());
            m.put("message", p.message());
            return m;
        }).toList();
    }
}
