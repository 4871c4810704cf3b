// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phigate.posture.boundary.ExpiryMonitor;
import org.phigate.web.proxy.DataPlaneExtension;
import org.phigate.web.proxy.PoolStatus;

/**
 * The state of every pool's backends as the data plane sees it now (serving, draining, ejected, unhealthy; requests
 * in flight; failures in a row), as JSON and as Prometheus metrics. 503 PHIG-5030 while the data plane has not
 * connected to the registry yet.
 */
@Path("")
@RequestScoped
public class BackendsResource {

    @Context
    ServletContext servlet;

    @EJB
    ExpiryMonitor monitor;

    @GET
    @Path("backends")
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response backends() {
        Optional<List<PoolStatus>> pools = pools();
        return pools.isEmpty() ? notReady() : Response.ok(Map.of("pools", pools.get())).build();
    }

    /** Prometheus text format 0.0.4: a scraper authenticates with a bearer token of a client holding gateway-auditor. */
    @GET
    @Path("metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response metrics() {
        Optional<List<PoolStatus>> pools = pools();
        if (pools.isEmpty()) {
            return notReady();
        }
        StringBuilder text = new StringBuilder(1024);
        text.append("# HELP phigate_pool_in_flight Requests in flight in the pool.\n# TYPE phigate_pool_in_flight gauge\n");
        pools.get().forEach(p -> text.append("phigate_pool_in_flight{pool=\"").append(p.name()).append("\"} ").append(p.inFlight()).append('\n'));
        text.append("# HELP phigate_backend_up 1 while the backend takes new requests (serving), else 0.\n# TYPE phigate_backend_up gauge\n");
        pools.get().forEach(p -> p.backends().forEach(b -> text.append("phigate_backend_up").append(labels(p, b))
                .append(b.state().equals("serving") ? 1 : 0).append('\n')));
        text.append("# HELP phigate_backend_state The backend's state, one series per state with value 1.\n# TYPE phigate_backend_state gauge\n");
        pools.get().forEach(p -> p.backends().forEach(b -> text.append("phigate_backend_state{pool=\"").append(p.name())
                .append("\",backend=\"").append(escape(b.url())).append("\",state=\"").append(b.state()).append("\"} 1\n")));
        text.append("# HELP phigate_backend_in_flight Requests in flight on the backend.\n# TYPE phigate_backend_in_flight gauge\n");
        pools.get().forEach(p -> p.backends().forEach(b -> text.append("phigate_backend_in_flight").append(labels(p, b))
                .append(b.inFlight()).append('\n')));
        posture(text);
        return Response.ok(text.toString()).build();
    }

    /** When each business associate's agreement expires and whether it is in force now, so that alerts can fire ahead. */
    private void posture(StringBuilder text) {
        java.time.Instant now = monitor.now();
        text.append("# HELP phigate_baa_expiry_timestamp_seconds When the vendor's business associate agreement stops being in force.\n")
                .append("# TYPE phigate_baa_expiry_timestamp_seconds gauge\n");
        monitor.vendors().forEach(v -> text.append("phigate_baa_expiry_timestamp_seconds{vendor=\"").append(v.name()).append("\"} ")
                .append(v.expires().getEpochSecond()).append('\n'));
        text.append("# HELP phigate_baa_in_force 1 while the vendor's agreement lets PHI go to it, else 0.\n# TYPE phigate_baa_in_force gauge\n");
        monitor.vendors().forEach(v -> text.append("phigate_baa_in_force{vendor=\"").append(v.name()).append("\"} ")
                .append(v.inForce(now) ? 1 : 0).append('\n'));
        text.append("# HELP phigate_certificate_expiry_timestamp_seconds When the certificate of the inventory stops being valid.\n")
                .append("# TYPE phigate_certificate_expiry_timestamp_seconds gauge\n");
        monitor.certificates().forEach(c -> text.append("phigate_certificate_expiry_timestamp_seconds{name=\"").append(c.name())
                .append("\",purpose=\"").append(c.purpose().slug()).append("\",active=\"").append(c.active()).append("\"} ")
                .append(c.details().notAfter().getEpochSecond()).append('\n'));
    }

    private Optional<List<PoolStatus>> pools() {
        return DataPlaneExtension.dataPlane(servlet).map(plane -> plane.pools());
    }

    private static String labels(PoolStatus p, PoolStatus.Backend b) {
        return "{pool=\"" + p.name() + "\",backend=\"" + escape(b.url()) + "\"} ";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static Response notReady() {
        return ApiProblem.of(503, "PHIG-5030", "The data plane is not connected to the registry yet; retry in a few seconds");
    }
}
