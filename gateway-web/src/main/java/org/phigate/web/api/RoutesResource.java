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
import java.util.TreeSet;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

/** The routes and pools in service, as the data plane sees them. */
@Path("routes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Allowed({"gateway-admin", "gateway-auditor"})
public class RoutesResource {

    @EJB
    Routes routes;

    @GET
    public Map<String, Object> list() {
        RouteTable table = routes.current();
        Map<String, Object> pools = new LinkedHashMap<>();
        table.pools().values().forEach(p -> pools.put(p.name(), Map.of("backends", p.backends().stream().map(Object::toString).toList())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routeTableGeneration", table.generation());
        body.put("pools", pools);
        body.put("routes", table.routes().stream().map(RoutesResource::route).toList());
        return body;
    }

    private static Map<String, Object> route(RouteSpec r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("prefix", r.prefix());
        m.put("pool", r.pool());
        m.put("backendPath", r.backendPath());
        m.put("methods", List.copyOf(new TreeSet<>(r.methods())));
        m.put("phi", r.carriesPhi());
        m.put("connectTimeoutMs", r.connectTimeout().toMillis());
        m.put("requestTimeoutMs", r.requestTimeout().toMillis());
        r.policy().ifPresent(p -> m.put("policy", Map.of("roles", List.copyOf(new TreeSet<>(p.roles())),
                "clients", List.copyOf(new TreeSet<>(p.clients())),
                "sources", p.sources().stream().map(Object::toString).toList(), "smart", p.smart())));
        return m;
    }
}
