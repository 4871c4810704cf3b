// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.config.ConfigurationParser;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.RegistryDocument;
import org.phigate.route.boundary.RegistryBusy;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTable;

/**
 * Creates or edits one route and its policy (gateway-admin). The form holds the fields an administrator changes most;
 * every other field of an existing route (timeouts, WAF, audited parameters, vendor) is kept as it is. The change is
 * the route's document in the configuration file's format, checked and applied by the same code as the file and the
 * admin API, in one transaction with its audit entry.
 */
@Named
@ViewScoped
public class EditRoute implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EditRoute.class.getName());
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final Map<String, String> FIELDS = Map.of("name", "route:name", "prefix", "route:prefix", "pool", "route:pool",
            "backendPath", "route:backendPath", "methods", "route:methods", "policy", "route:roles", "roles", "route:roles");

    @EJB
    transient Routes routes;

    @Inject
    Console console;

    private String name = "";
    private boolean existing;
    private String prefix = "/";
    private String pool = "";
    private String backendPath = "/";
    private List<String> methods = new ArrayList<>(List.of("GET", "HEAD"));
    private String roles = "";
    private boolean phi = true;
    private Map<String, Object> kept = new LinkedHashMap<>();

    /** Loads the route named by the page's {@code name} parameter, if there is one. */
    @SuppressWarnings("unchecked")
    public void load() {
        if (name == null || name.isBlank() || existing) {
            return;
        }
        RegistryDocument.item(routes.current(), "routes", name).ifPresent(item -> {
            Map<String, Object> route = new LinkedHashMap<>((Map<String, Object>) item);
            existing = true;
            prefix = (String) route.remove("prefix");
            pool = (String) route.remove("pool");
            backendPath = (String) route.remove("backendPath");
            methods = new ArrayList<>((List<String>) route.remove("methods"));
            phi = Boolean.TRUE.equals(route.remove("phi"));
            Map<String, Object> policy = (Map<String, Object>) route.get("policy");
            roles = policy == null ? "" : String.join(", ", (List<String>) policy.get("roles"));
            kept = route;
        });
    }

    @SuppressWarnings("unchecked")
    public String save() {
        Optional<SignIn> admin = console.admin();
        if (admin.isEmpty()) {
            return null;
        }
        SignIn who = admin.get();
        Map<String, Object> route = new LinkedHashMap<>(kept);
        route.put("prefix", prefix);
        route.put("pool", pool);
        route.put("backendPath", backendPath);
        route.put("methods", methods == null ? List.of() : methods);
        route.put("phi", phi);
        Map<String, Object> policy = new LinkedHashMap<>(route.get("policy") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of());
        policy.put("roles", Arrays.stream(Objects.toString(roles, "").split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        route.put("policy", policy);
        try {
            RouteTable table = routes.apply(ConfigurationParser.parseItem(ConfigurationParser.Section.ROUTES, Objects.toString(name, "").trim(),
                    RegistryDocument.json(route)),
                    console.origin(who));
            LOG.info(() -> "PHIG-0120 routes." + name + (existing ? " replaced" : " created") + " through the console by " + who.username()
                    + "; route table generation " + table.generation());
        } catch (ConfigurationRejected e) {
            ConsoleChange.refused(e, FIELDS, "routes." + name);
            return null;
        } catch (RegistryBusy e) {
            ConsoleChange.busy("routes." + name);
            return null;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        faces.getExternalContext().getFlash().setKeepMessages(true);
        faces.addMessage(null, new FacesMessage("Route " + name + (existing ? " saved." : " created.") + " It serves now."));
        return "routes?faces-redirect=true";
    }

    public List<String> getPoolNames() {
        return routes.current().pools().keySet().stream().sorted().toList();
    }

    public List<String> getAllMethods() {
        return METHODS;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isExisting() {
        return existing;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }

    public String getBackendPath() {
        return backendPath;
    }

    public void setBackendPath(String backendPath) {
        this.backendPath = backendPath;
    }

    public List<String> getMethods() {
        return methods;
    }

    public void setMethods(List<String> methods) {
        this.methods = methods;
    }

    public String getRoles() {
        return roles;
    }

    public void setRoles(String roles) {
        this.roles = roles;
    }

    public boolean isPhi() {
        return phi;
    }

    public void setPhi(boolean phi) {
        this.phi = phi;
    }
}
