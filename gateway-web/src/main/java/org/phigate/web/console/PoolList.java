// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletContext;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.DesiredState;
import org.phigate.route.boundary.RegistryBusy;
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
    transient ServletContext servlet;

    @Inject
    Console console;

    private String filter = "";
    private transient Map<String, Map<String, String>> states = Map.of();

    public List<PoolSpec> getPools() {
        states = DataPlaneExtension.dataPlane(servlet).map(plane -> plane.pools().stream().collect(Collectors.toMap(PoolStatus::name,
                p -> p.backends().stream().collect(Collectors.toMap(PoolStatus.Backend::url, PoolStatus.Backend::state, (a, b) -> a)))))
                .orElse(Map.of());
        String wanted = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        return routes.current().pools().values().stream()
                .filter(p -> wanted.isEmpty() || (p.name() + " " + p.backends()).toLowerCase(Locale.ROOT).contains(wanted))
                .sorted(java.util.Comparator.comparing(PoolSpec::name)).toList();
    }

    /**
     * The backend's state as the data plane saw it when the list was read (one look at the data plane per list, not per
     * backend), or "not connected" before the data plane has its table.
     */
    public String state(String pool, BackendSpec backend) {
        return states == null ? "not connected" : states.getOrDefault(pool, Map.of()).getOrDefault(backend.uri().toString(), "not connected");
    }

    public void drain(String pool, String url) {
        setDraining(pool, url, true);
    }

    public void enable(String pool, String url) {
        setDraining(pool, url, false);
    }

    private void setDraining(String poolName, String url, boolean draining) {
        Optional<SignIn> admin = console.admin();
        PoolSpec pool = routes.current().pools().get(poolName);
        if (admin.isEmpty() || pool == null) {
            return;
        }
        SignIn who = admin.get();
        List<BackendSpec> backends = pool.backends().stream()
                .map(b -> b.uri().toString().equals(url) ? new BackendSpec(b.uri(), b.weight(), b.maxConcurrent(), draining) : b).toList();
        PoolSpec changed = new PoolSpec(pool.name(), backends, pool.policy(), pool.vendor(), pool.tls());
        try {
            routes.apply(new DesiredState("console", List.of(changed), List.of(), List.of(), Map.of()), console.origin(who));
            LOG.info(() -> "PHIG-0120 pools." + poolName + " backend " + url + (draining ? " draining" : " enabled") + " through the console by " + who.username());
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(url + (draining ? " drains: it finishes its requests and takes no new ones." : " takes requests again.")));
        } catch (ConfigurationRejected e) {
            ConsoleChange.refused(e, Map.of(), "pools." + poolName);
        } catch (RegistryBusy e) {
            ConsoleChange.busy("pools." + poolName);
        }
    }

    public void remove(String name) {
        RegistryItems.remove(console, "pools", name, routes::removePool);
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }
}
