// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteSpec;

/** The routes and their policies, filtered by name, prefix or pool; removal with confirmation (gateway-admin). */
@Named
@ViewScoped
public class RouteList implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    transient Routes routes;

    @Inject
    Console console;

    private String filter = "";

    public List<RouteSpec> getRoutes() {
        String wanted = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        return routes.current().routes().stream()
                .filter(r -> wanted.isEmpty() || (r.name() + " " + r.prefix() + " " + r.pool()).toLowerCase(Locale.ROOT).contains(wanted))
                .sorted(Comparator.comparing(RouteSpec::name)).toList();
    }

    public String roles(RouteSpec route) {
        return route.policy().map(p -> p.roles().isEmpty() ? "-" : String.join(", ", p.roles().stream().sorted().toList()))
                .orElse("nobody (no policy)");
    }

    public void remove(String name) {
        RegistryItems.remove(console, "routes", name, routes::removeRoute);
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }
}
