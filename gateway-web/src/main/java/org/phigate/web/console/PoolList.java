// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.DesiredState;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolSpec;
import org.phigate.web.proxy.DataPlaneExtension;
import org.phigate.web.proxy.PoolStatus;

/**
 * Pools and their backends with the data plane's live view (serving, draining, ejected, unhealthy). gateway-admin
 * drains a backend (it finishes its requests and takes no new ones) or takes it back, as a change of the pool in the
 * registry: audited, and kept across restarts.
 */
@Named
@ViewScoped
public class PoolList implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(PoolList.class.getName());

    @EJB
    transient Routes routes;

    @Inject
    transient HttpServletRequest request;

    @Inject
    transient ServletContext servlet;

    @Inject
    Console console;

    private String filter = "";

    public List<PoolSpec> getPools() {
        String wanted = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        return routes.current().pools().values().stream()
                .filter(p -> wanted.isEmpty() || (p.name() + " " + p.backends()).toLowerCase(Locale.ROOT).contains(wanted))
                .sorted(java.util.Comparator.comparing(PoolSpec::name)).toList();
    }

    /** The backend's state as the data plane sees it now, or "not connected" before the data plane has its table. */
    public String state(String pool, BackendSpec backend) {
        return DataPlaneExtension.dataPlane(servlet).flatMap(plane -> plane.pools().stream().filter(p -> p.name().equals(pool)).findFirst())
                .flatMap(p -> p.backends().stream().filter(b -> b.url().equals(backend.uri().toString())).findFirst())
                .map(PoolStatus.Backend::state).orElse("not connected");
    }

    public void drain(String pool, String url) {
        setDraining(pool, url, true);
    }

    public void enable(String pool, String url) {
        setDraining(pool, url, false);
    }

    private void setDraining(String poolName, String url, boolean draining) {
        SignIn who = console.signIn().orElseThrow();
        PoolSpec pool = routes.current().pools().get(poolName);
        if (!who.may("gateway-admin") || pool == null) {
            return;
        }
        List<BackendSpec> backends = pool.backends().stream()
                .map(b -> b.uri().toString().equals(url) ? new BackendSpec(b.uri(), b.weight(), b.maxConcurrent(), draining) : b).toList();
        PoolSpec changed = new PoolSpec(pool.name(), backends, pool.policy(), pool.vendor(), pool.tls());
        try {
            routes.apply(new DesiredState("console", List.of(changed), List.of(), List.of(), Map.of()), ConsoleChange.origin(request, who));
            LOG.info(() -> "PHIG-0120 pools." + poolName + " backend " + url + (draining ? " draining" : " enabled") + " through the console by " + who.username());
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(url + (draining ? " drains: it finishes its requests and takes no new ones." : " takes requests again.")));
        } catch (ConfigurationRejected e) {
            ConsoleChange.refused(e, Map.of(), "pools." + poolName);
        }
    }

    public void remove(String name) {
        RegistryItems.remove(console, request, "pools", name, routes::removePool);
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }
}
