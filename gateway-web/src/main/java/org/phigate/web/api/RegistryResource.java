// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.config.ConfigurationParser;
import org.phigate.config.RegistryDocument;
import org.phigate.config.ConfigurationParser.Section;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.DesiredState;
import org.phigate.policy.AccessPolicy;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

/**
 * One item at a time: pools, routes, route policies, service identities and business associates, each read, created or replaced
 * ({@code PUT}, the item in the configuration file's format) and removed. Every change is one transaction of the
 * registry and serves by the time the answer is sent; a refused change names its field and changes nothing.
 */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Allowed({"gateway-admin", "gateway-auditor"})
public class RegistryResource {

    static final String GENERATION = "PHIGate-Route-Table-Generation";
    private static final String SECTIONS = "{section: pools|routes|identities|vendors}";
    private static final int MAX_CHARS = 1 << 16;
    private static final Logger LOG = Logger.getLogger(RegistryResource.class.getName());

    @EJB
    Routes routes;

    @Context
    SecurityContext security;

    @Inject
    AdminChanges changes;

    @GET
    @Path(SECTIONS)
    public Response list(@PathParam("section") String section) {
        RouteTable table = routes.current();
        Map<String, Object> items = switch (section) {
            case "pools" -> RegistryDocument.pools(table);
            case "routes" -> RegistryDocument.routes(table);
            case "vendors" -> RegistryDocument.vendors(table);
            default -> RegistryDocument.identities(table);
        };
        return Response.ok(Map.of(section, items)).header(GENERATION, table.generation()).build();
    }

    @GET
    @Path(SECTIONS + "/{name}")
    public Response get(@PathParam("section") String section, @PathParam("name") String name) {
        return RegistryDocument.item(routes.current(), section, name).map(item -> Response.ok(item).build()).orElseGet(() -> notFound(section, name));
    }

    @PUT
    @Path(SECTIONS + "/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed("gateway-admin")
    public Response put(@PathParam("section") String section, @PathParam("name") String name, String body) {
        boolean existed = RegistryDocument.item(routes.current(), section, name).isPresent();
        return change(section, name, body, () -> ConfigurationParser.parseItem(Section.valueOf(section.toUpperCase(Locale.ROOT)), name, body), existed);
    }

    @DELETE
    @Path(SECTIONS + "/{name}")
    @Allowed("gateway-admin")
    public Response delete(@PathParam("section") String section, @PathParam("name") String name) {
        ChangeOrigin origin = changes.origin(CallerSecurity.of(security));
        try {
            boolean removed = switch (section) {
                case "pools" -> routes.removePool(name, origin);
                case "routes" -> routes.removeRoute(name, origin);
                case "vendors" -> routes.removeVendor(name, origin);
                default -> routes.removeIdentity(name, origin);
            };
            if (!removed) {
                return notFound(section, name);
            }
            LOG.info(() -> "PHIG-0121 " + section + "." + name + " removed through the admin API by " + CallerSecurity.of(security));
            return Response.noContent().header(GENERATION, routes.current().generation()).build();
        } catch (ConfigurationRejected e) {
            return refused(409, e);
        }
    }

    @GET
    @Path("routes/{name}/policy")
    public Response policy(@PathParam("name") String name) {
        Optional<RouteSpec> route = route(name);
        if (route.isEmpty()) {
            return notFound("routes", name);
        }
        return route.get().policy().map(p -> Response.ok(RegistryDocument.policy(p)).build())
                .orElseGet(() -> ApiProblem.of(404, "PHIG-4043", "The route has no policy: it admits nobody"));
    }

    @PUT
    @Path("routes/{name}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed("gateway-admin")
    public Response putPolicy(@PathParam("name") String name, String body) {
        Optional<RouteSpec> route = route(name);
        if (route.isEmpty()) {
            return notFound("routes", name);
        }
        return change("routes", name, body, () -> {
            AccessPolicy policy = ConfigurationParser.parsePolicy(name, body);
            return single(route.get().withPolicy(Optional.of(policy)));
        }, true);
    }

    /** Takes the policy away: the route stays and admits nobody (default deny). */
    @DELETE
    @Path("routes/{name}/policy")
    @Allowed("gateway-admin")
    public Response deletePolicy(@PathParam("name") String name) {
        Optional<RouteSpec> route = route(name);
        if (route.isEmpty()) {
            return notFound("routes", name);
        }
        try {
            RouteTable table = routes.apply(single(route.get().withPolicy(Optional.empty())), changes.origin(CallerSecurity.of(security)));
            LOG.info(() -> "PHIG-0121 routes." + name + ".policy removed through the admin API by " + CallerSecurity.of(security));
            return Response.noContent().header(GENERATION, table.generation()).build();
        } catch (ConfigurationRejected e) {
            return refused(422, e);
        }
    }

    private interface Desired {
        DesiredState get();
    }

    private Response change(String section, String name, String body, Desired desired, boolean existed) {
        if (body == null || body.length() > MAX_CHARS) {
            return ApiProblem.of(413, "PHIG-1001", "The document is larger than 64 KiB");
        }
        try {
            RouteTable table = routes.apply(desired.get(), changes.origin(CallerSecurity.of(security)));
            LOG.info(() -> "PHIG-0120 " + section + "." + name + (existed ? " replaced" : " created") + " through the admin API by "
                    + CallerSecurity.of(security) + "; route table generation " + table.generation());
            Object item = RegistryDocument.item(table, section, name).orElseThrow();
            return Response.status(existed ? 200 : 201).entity(item).header(GENERATION, table.generation()).build();
        } catch (ConfigurationRejected e) {
            return refused(422, e);
        }
    }

    private static Response refused(int status, ConfigurationRejected e) {
        return ApiProblem.of(status, "PHIG-1000", "The change was refused; nothing changed",
                ApiProblem.problems(HealthResource.problems(e.problems())));
    }

    private static DesiredState single(RouteSpec route) {
        return new DesiredState("request body", List.of(), List.of(route), List.of(), Map.of());
    }

    private Optional<RouteSpec> route(String name) {
        return routes.current().routes().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static Response notFound(String section, String name) {
        return ApiProblem.of(404, "PHIG-4042", "No such item", Map.of("field", section + "." + name));
    }
}
