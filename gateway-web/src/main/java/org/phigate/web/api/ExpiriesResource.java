// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.phigate.posture.ExpiryNotice;
import org.phigate.posture.boundary.ExpiryMonitor;

/** What expires soon or has: agreements of business associates and certificates, with the warning step each has reached. */
@Path("expiries")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ExpiriesResource {

    @EJB
    ExpiryMonitor monitor;

    @GET
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response expiries() {
        return Response.ok(Map.of("at", monitor.now().toString(),
                "notices", monitor.notices().stream().map(ExpiriesResource::json).toList())).build();
    }

    private static Map<String, Object> json(ExpiryNotice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", n.kind() == ExpiryNotice.Kind.BAA ? "baa" : "certificate");
        m.put("name", n.name());
        m.put("expires", n.expires().toString());
        m.put("stage", n.stage());
        m.put("daysLeft", n.daysLeft());
        return m;
    }
}
