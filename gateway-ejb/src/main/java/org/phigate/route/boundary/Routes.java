// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.boundary.AuditUnavailable;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.certificate.boundary.Certificates;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.RegistryDocument;
import org.phigate.config.DesiredState;
import org.phigate.persistence.SerialChanges;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.identity.entity.ServiceIdentity;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;
import org.phigate.route.entity.BackendPool;
import org.phigate.route.entity.Route;
import org.phigate.vendor.control.VendorSpec;
import org.phigate.vendor.entity.BusinessAssociate;

/**
 * The route registry. Every change runs in one transaction and, only once it has committed, publishes a
 * new {@link RouteTable} to the {@link RouteTableFeed} that the data plane reads. Changes run one at a time, from
 * their first read of the registry until their transaction has ended and its table is published, so that generations
 * follow commit order and no change is merged into a registry that another is still writing. Readers take no lock:
 * a slow change (a start that waits for the audit journal, a large file) must not stall health checks, the console
 * or the beans that start beside this one.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Routes {

    private static final Logger LOG = Logger.getLogger(Routes.class.getName());

    /** Changes one at a time; a change waits 30 s for the one before it, then is refused. */
    private SerialChanges changes;

    private final RouteTableFeed feed = new RouteTableFeed();

    @PersistenceContext(unitName = "phigate")
    EntityManager em;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @EJB
    AuditJournal audit;

    /** Asked only while a change is checked: the certificates a file names go in first, then pools may name them. */
    @EJB
    Certificates certificates;

    @PostConstruct
    void publishRegistry() {
        changes = new SerialChanges(transactions, Duration.ofSeconds(30),
                () -> new RegistryBusy("PHIG-5037 another registry change has been running for 30 s; nothing was changed, try again"));
        RouteTable table = new RouteTable(1, loadRoutes(), loadPools(), loadIdentities(), loadVendors());
        feed.publish(table);
        LOG.info(() -> "PHIG-0100 route table loaded: " + table.routes().size() + " routes, " + table.pools().size() + " pools, "
                + table.identities().size() + " service identities, " + table.vendors().size() + " business associates");
    }

    /** The feed is a plain object: the data plane keeps it and reads it without going through the container. */
    public RouteTableFeed feed() {
        return feed;
    }

    public RouteTable current() {
        return feed.current();
    }

    /**
     * Lays the desired state over the registry: named vendors, pools, routes and identities are created or replaced,
     * others are kept. The change goes into the audit trail (who, the named items before and after) once committed.
     *
     * @throws org.phigate.config.ConfigurationRejected when any rule fails; nothing is changed then
     * @throws AuditUnavailable while the change could not be recorded; nothing is changed then
     */
    public RouteTable apply(DesiredState desired, ChangeOrigin origin) {
        changes.begin();
        audit.requireStoreUp();
        Map<String, BackendPool> pools = new HashMap<>();
        em.createNamedQuery(BackendPool.FIND_ALL, BackendPool.class).getResultList().forEach(p -> pools.put(p.name(), p));
        Map<String, Route> routes = new HashMap<>();
        em.createNamedQuery(Route.FIND_ALL, Route.class).getResultList().forEach(r -> routes.put(r.name(), r));
        Map<String, ServiceIdentity> identities = new HashMap<>();
        em.createNamedQuery(ServiceIdentity.FIND_ALL, ServiceIdentity.class).getResultList().forEach(i -> identities.put(i.name(), i));
        Map<String, BusinessAssociate> vendors = new HashMap<>();
        em.createNamedQuery(BusinessAssociate.FIND_ALL, BusinessAssociate.class).getResultList().forEach(v -> vendors.put(v.name(), v));
        RouteTable registry = new RouteTable(feed.current().generation(),
                routes.values().stream().map(Route::toSpec).toList(), pools.values().stream().map(BackendPool::toSpec).toList(),
                identities.values().stream().map(ServiceIdentity::toSpec).toList(), vendors.values().stream().map(BusinessAssociate::toSpec).toList());
        Certificates.Ensured ensured = certificates.ensure(desired, origin);
        RouteTable next = ConfigurationCheck.merge(registry, desired, ensured.purposes());
        audit.recordOnCommit(origin, RegistryDocument.label(desired), RegistryDocument.json(RegistryDocument.named(registry, desired)),
                RegistryDocument.json(RegistryDocument.named(next, desired)));
        for (ServiceIdentitySpec spec : desired.identities()) {
            ServiceIdentity identity = identities.get(spec.name());
            if (identity == null) {
                em.persist(new ServiceIdentity(spec));
            } else {
                identity.replaceWith(spec);
            }
        }
        for (VendorSpec spec : desired.vendors()) {
            BusinessAssociate vendor = vendors.get(spec.name());
            if (vendor == null) {
                vendor = new BusinessAssociate(spec);
                em.persist(vendor);
                vendors.put(spec.name(), vendor);
            } else {
                vendor.replaceWith(spec);
            }
        }
        for (PoolSpec spec : desired.pools()) {
            BackendPool pool = pools.get(spec.name());
            Optional<BusinessAssociate> vendor = spec.vendor().map(vendors::get);
            if (pool == null) {
                pool = new BackendPool(spec, vendor);
                em.persist(pool);
                pools.put(spec.name(), pool);
            } else {
                pool.replaceWith(spec, vendor);
            }
        }
        for (RouteSpec spec : desired.routes()) {
            Route route = routes.get(spec.name());
            Optional<BusinessAssociate> vendor = spec.vendor().map(vendors::get);
            if (route == null) {
                em.persist(new Route(spec, pools.get(spec.pool()), vendor));
            } else {
                route.replaceWith(spec, pools.get(spec.pool()), vendor);
            }
        }
        em.flush();
        publishAfterCommit(next, ensured.imported().isEmpty() ? () -> { } : () -> certificates.adopt(ensured.imported()));
        return next;
    }

    /** Removes a route; its prefix answers 404 from the commit on. @return false when there is no such route */
    public boolean removeRoute(String name, ChangeOrigin origin) {
        changes.begin();
        audit.requireStoreUp();
        Optional<Route> route = em.createNamedQuery(Route.FIND_BY_NAME, Route.class).setParameter("name", name).getResultStream().findFirst();
        route.ifPresent(r -> {
            RouteTable registry = registry();
            em.remove(r);
            em.flush();
            removed(origin, "routes", name, registry, ConfigurationCheck.withoutRoute(registry, name));
        });
        return route.isPresent();
    }

    /**
     * Removes a pool that no route sends to.
     *
     * @return false when there is no such pool
     * @throws org.phigate.config.ConfigurationRejected while a route still names it
     */
    public boolean removePool(String name, ChangeOrigin origin) {
        changes.begin();
        audit.requireStoreUp();
        Optional<BackendPool> pool = em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", name)
                .getResultStream().findFirst();
        if (pool.isPresent()) {
            RouteTable registry = registry();
            RouteTable next = ConfigurationCheck.withoutPool(registry, name);
            em.remove(pool.get());
            em.flush();
            removed(origin, "pools", name, registry, next);
        }
        return pool.isPresent();
    }

    /**
     * Removes a service identity that no policy admits (disabling it is the way to refuse it at once).
     *
     * @return false when there is no such identity
     * @throws org.phigate.config.ConfigurationRejected while a policy still admits it
     */
    public boolean removeIdentity(String name, ChangeOrigin origin) {
        changes.begin();
        audit.requireStoreUp();
        Optional<ServiceIdentity> identity = em.createNamedQuery(ServiceIdentity.FIND_BY_NAME, ServiceIdentity.class)
                .setParameter("name", name).getResultStream().findFirst();
        if (identity.isPresent()) {
            RouteTable registry = registry();
            RouteTable next = ConfigurationCheck.withoutIdentity(registry, name);
            em.remove(identity.get());
            em.flush();
            removed(origin, "identities", name, registry, next);
        }
        return identity.isPresent();
    }

    /**
     * Removes a business associate that no route or pool is linked to (terminating its agreement is the way to stop
     * PHI going to it at once).
     *
     * @return false when there is no such vendor
     * @throws org.phigate.config.ConfigurationRejected while a route or pool is linked to it
     */
    public boolean removeVendor(String name, ChangeOrigin origin) {
        changes.begin();
        audit.requireStoreUp();
        Optional<BusinessAssociate> vendor = em.createNamedQuery(BusinessAssociate.FIND_BY_NAME, BusinessAssociate.class)
                .setParameter("name", name).getResultStream().findFirst();
        if (vendor.isPresent()) {
            RouteTable registry = registry();
            RouteTable next = ConfigurationCheck.withoutVendor(registry, name);
            em.remove(vendor.get());
            em.flush();
            removed(origin, "vendors", name, registry, next);
        }
        return vendor.isPresent();
    }

    private void removed(ChangeOrigin origin, String section, String name, RouteTable before, RouteTable next) {
        audit.recordOnCommit(origin, section + "." + name, RegistryDocument.json(RegistryDocument.item(before, section, name).orElse(null)), null);
        publishAfterCommit(next);
    }

    /** The registry as it is in this transaction, under the generation now published. */
    private RouteTable registry() {
        return new RouteTable(feed.current().generation(), loadRoutes(), loadPools(), loadIdentities(), loadVendors());
    }

    private void publishAfterCommit(RouteTable next) {
        publishAfterCommit(next, () -> { });
    }

    /** @param first what must be published before the table: the certificates its pools name that the same change imported */
    private void publishAfterCommit(RouteTable next, Runnable first) {
        changes.begin().publishOnCommit(() -> {
            first.run();
            feed.publish(next);
            LOG.info(() -> "PHIG-0101 route table generation " + next.generation() + " published: "
                    + next.routes().size() + " routes, " + next.pools().size() + " pools, " + next.identities().size() + " service identities, "
                    + next.vendors().size() + " business associates");
        });
    }

    private List<RouteSpec> loadRoutes() {
        return em.createNamedQuery(Route.FIND_ALL, Route.class).getResultList().stream().map(Route::toSpec).toList();
    }

    private List<ServiceIdentitySpec> loadIdentities() {
        return em.createNamedQuery(ServiceIdentity.FIND_ALL, ServiceIdentity.class).getResultList().stream().map(ServiceIdentity::toSpec).toList();
    }

    private List<VendorSpec> loadVendors() {
        return em.createNamedQuery(BusinessAssociate.FIND_ALL, BusinessAssociate.class).getResultList().stream().map(BusinessAssociate::toSpec).toList();
    }

    private List<PoolSpec> loadPools() {
        return em.createNamedQuery(BackendPool.FIND_ALL, BackendPool.class).getResultList().stream().map(BackendPool::toSpec).toList();
    }
}
