// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.logging.Logger;
import org.phigate.config.ConfigurationParser;
import org.phigate.config.RegistryDocument;
import org.phigate.config.ConfigurationRejected;
import org.phigate.identity.Caller;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTable;

/**
 * The registry as a whole, in the format of the configuration file. A PUT lays a desired state over the registry
 * (JSON is YAML, so both are accepted): the named pools, routes, identities and vendors are created or replaced, in one transaction, and serve within
 * the request's own commit. A refused document changes nothing and answers 422 naming each field and line.
 */
@Path("configuration")
@RequestScoped
@Allowed("gateway-admin")
public class ConfigurationResource {

    private static final Logger LOG = Logger.getLogger(ConfigurationResource.class.getName());
    private static final int MAX_CHARS = 1 << 20;

    @EJB
    Routes routes;

    @Context
    SecurityContext security;

    @Inject
    AdminChanges changes;

    /** The whole registry in the configuration file's format: what a PUT of the same document would leave as it is. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response current() {
        RouteTable table = routes.current();
        return Response.ok(RegistryDocument.document(table)).header(RegistryResource.GENERATION, table.generation()).build();
    }

    @PUT
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response apply(String document) {
        Caller caller = CallerSecurity.of(security);
        if (document == null || document.length() > MAX_CHARS) {
            return ApiProblem.of(413, "PHIG-1001", "The document is larger than 1 MiB");
        }
        try {
            RouteTable table = routes.apply(ConfigurationParser.parse("request body", document), changes.origin(caller));
            LOG.info(() -> "PHIG-0120 configuration changed through the admin API by " + caller
                    + "; route table generation " + table.generation());
            return Response.ok(Map.of("routeTableGeneration", table.generation(), "routes", table.routes().size(),
                    "pools", table.pools().size(), "identities", table.identities().size(),
                    "vendors", table.vendors().size()))
                    .header(RegistryResource.GENERATION, table.generation()).build();
        } catch (ConfigurationRejected e) {
            return ApiProblem.of(422, "PHIG-1000", "The configuration was refused; nothing changed",
                    ApiProblem.problems(HealthResource.problems(e.problems())));
        }
    }
}
