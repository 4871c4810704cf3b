// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.control.AuditJson;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.persistence.AfterCommit;
import org.phigate.certificate.control.CertificateCheck;
import org.phigate.certificate.control.CertificateDetails;
import org.phigate.certificate.control.CertificateEntry;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateRefused;
import org.phigate.certificate.control.CertificateSource;
import org.phigate.config.ConfigProblem;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.DesiredState;
import org.phigate.certificate.control.KeyVault;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.phigate.certificate.entity.RegisteredCertificate;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTableFeed;

/**
 * The certificate inventory. Imports are checked ({@link CertificateCheck}) before anything is written; a private key
 * goes to the {@link KeyVault} (never the database), and the entry keeps its reference. A server certificate is
 * activated by installing it in the listeners' Elytron key store while the server runs ({@link ListenerTls}). At start
 * the certificate the listeners present and the CAs of the backend trust store are inventoried if they are not yet,
 * so that their expiry is watched too. Every
 * change is in the audit trail with who made it.
 */
@Singleton
@Startup
@DependsOn("Routes")
public class Certificates {

    private static final Logger LOG = Logger.getLogger(Certificates.class.getName());
    private static final String SERVER_CONFIGURATION = "server-configuration";
    private static final String BACKEND_TRUST_STORE = "truststore:phigate.backend.truststore";

    private final Clock clock = Clock.systemUTC();

    @PersistenceContext(unitName = "phigate")
    EntityManager em;

    @EJB
    AuditJournal audit;

    @EJB
    Routes routes;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** The route table as published, read without the registry's lock: a pool's certificates may not be removed. */
    private RouteTableFeed feed;

    /**
     * The inventory as committed, swapped after each change commits: what the data plane's pools resolve their certificates
     * from, without a database call (it asks while a route table is being published, after the registry's commit).
     */
    private volatile Map<String, CertificateEntry> published = Map.of();
    private final Object publication = new Object();

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void inventoryServerConfiguration() {
        feed = routes.feed();
        inventoryListenerCertificate();
        inventoryBackendTrustStore();
        em.flush();
        published = snapshot();
    }

    /** The inventory as this transaction sees it. */
    private Map<String, CertificateEntry> snapshot() {
        Map<String, CertificateEntry> entries = new LinkedHashMap<>();
        list().forEach(c -> entries.put(c.name(), c));
        return Map.copyOf(entries);
    }

    /**
     * Applies one committed change to the published inventory. Changes, not whole snapshots, so that transactions that
     * commit in another order than they were checked cannot take back each other's entries.
     */
    private void publishAfterCommit(Consumer<Map<String, CertificateEntry>> change) {
        AfterCommit.run(transactions, () -> update(change));
    }

    private void update(Consumer<Map<String, CertificateEntry>> change) {
        synchronized (publication) {
            Map<String, CertificateEntry> next = new LinkedHashMap<>(published);
            change.accept(next);
            published = Map.copyOf(next);
        }
    }

    /**
     * Publishes entries that a configuration file's transaction imported ({@link #ensure}), once it has committed and
     * before its route table is published: the pools that name them find them. The entries' own publication may come
     * later, in whatever order the transaction manager runs its synchronizations; adding twice changes nothing.
     */
    @Lock(LockType.READ)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void adopt(Collection<CertificateEntry> imported) {
        update(inventory -> imported.forEach(c -> inventory.put(c.name(), c)));
    }

    /** What {@link #ensure} found: the inventory's purposes once the transaction commits, and the entries it imported. */
    public record Ensured(Map<String, CertificatePurpose> purposes, List<CertificateEntry> imported) {
    }

    private void inventoryListenerCertificate() {
        Optional<ListenerTls> listeners = ListenerTls.fromSystemProperties();
        if (listeners.isEmpty()) {
            LOG.warning("PHIG-0811 phigate.tls.keystore is not set: the listeners' certificate is not inventoried and cannot be rotated"
                    + " through the admin API (docs/certificates.md says how to set it on this server)");
            return;
        }
        try {
            CertificateDetails presented = CertificateCheck.details(listeners.get().current());
            if (!inventoried(CertificatePurpose.SERVER, presented.fingerprint())) {
                em.createNamedQuery(RegisteredCertificate.FIND_ACTIVE, RegisteredCertificate.class).setParameter("purpose", "server")
                        .getResultList().forEach(RegisteredCertificate::deactivate);
                inventory("listeners-", CertificatePurpose.SERVER, presented, ListenerTls.REFERENCE).activate();
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.log(Level.WARNING, "PHIG-0812 the listeners' certificate could not be read from phigate.tls.keystore; it is not inventoried", e);
        }
    }

    /** The CAs the data plane trusts for backends (phigate.backend.truststore), so that their expiry is watched too. */
    private void inventoryBackendTrustStore() {
        String path = System.getProperty("phigate.backend.truststore", "");
        if (path.isBlank()) {
            return;
        }
        try {
            KeyStore store = KeyVault.load(Path.of(path), System.getProperty("phigate.backend.truststore.password", "").toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate anchor) {
                    CertificateDetails details = CertificateCheck.details(new CertificateMaterial(List.of(anchor), Optional.empty()));
                    if (!inventoried(CertificatePurpose.TRUST, details.fingerprint())) {
                        inventory("backend-trust-", CertificatePurpose.TRUST, details, BACKEND_TRUST_STORE);
                    }
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.log(Level.WARNING, "PHIG-0812 the backend trust store could not be read; its CAs are not inventoried", e);
        }
    }

    private boolean inventoried(CertificatePurpose purpose, String fingerprint) {
        return em.createNamedQuery(RegisteredCertificate.FIND_ALL, RegisteredCertificate.class).getResultStream()
                .anyMatch(c -> c.purpose() == purpose && c.details().fingerprint().equals(fingerprint));
    }

    private RegisteredCertificate inventory(String prefix, CertificatePurpose purpose, CertificateDetails details, String reference) {
        String name = prefix + details.fingerprint().substring(0, 12);
        RegisteredCertificate entry = new RegisteredCertificate(name, purpose, details, Optional.of(reference), clock.instant(), SERVER_CONFIGURATION);
        em.persist(entry);
        LOG.info(() -> "PHIG-0810 " + purpose.slug() + " certificate " + details.subject() + " (" + details.fingerprint()
                + ", from the server configuration) is inventoried as " + name);
        return entry;
    }

    @Lock(LockType.READ)
    public List<CertificateEntry> list() {
        return em.createNamedQuery(RegisteredCertificate.FIND_ALL, RegisteredCertificate.class).getResultStream().map(Certificates::entry).toList();
    }

    /** The inventory as committed, from the published snapshot: no database call (the expiry monitor, the metrics). */
    @Lock(LockType.READ)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<CertificateEntry> inventory() {
        return List.copyOf(published.values());
    }

    /** The inventory as committed, as pools may name it: name to purpose. */
    @Lock(LockType.READ)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Map<String, CertificatePurpose> purposes() {
        Map<String, CertificatePurpose> purposes = new LinkedHashMap<>();
        published.values().forEach(c -> purposes.put(c.name(), c.purpose()));
        return purposes;
    }

    /**
     * The material a pool's {@code tls} names: the CAs' certificates and the client certificate's key from the key store.
     * Empty when a name is gone or the key cannot be read; the pool then takes no requests (the data plane logs why).
     */
    @Lock(LockType.READ)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<PoolTlsMaterial> material(List<String> trust, Optional<String> clientCertificate) {
        Map<String, CertificateEntry> inventory = published;
        List<X509Certificate> anchors = new java.util.ArrayList<>();
        Instant until = Instant.MAX;
        for (String name : trust) {
            Optional<CertificateEntry> anchor = Optional.ofNullable(inventory.get(name)).filter(c -> c.purpose() == CertificatePurpose.TRUST);
            if (anchor.isEmpty()) {
                return Optional.empty();
            }
            anchors.add(CertificateMaterial.fromPem(anchor.get().details().chainPem()).leaf());
            until = min(until, anchor.get().details().notAfter());
        }
        Optional<KeyVault.Entry> client = Optional.empty();
        if (clientCertificate.isPresent()) {
            Optional<CertificateEntry> entry = Optional.ofNullable(inventory.get(clientCertificate.get())).filter(c -> c.purpose() == CertificatePurpose.CLIENT)
                    .filter(c -> c.keyReference().filter(r -> r.startsWith(KeyVault.REFERENCE_PREFIX)).isPresent());
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            try {
                client = Optional.of(keyAndChain(entry.get().keyReference().get(), entry.get().details()));
            } catch (IOException | GeneralSecurityException | CertificateRefused e) {
                LOG.log(Level.SEVERE, "PHIG-0823 the key of client certificate " + clientCertificate.get() + " cannot be read from the key store", e);
                return Optional.empty();
            }
            until = min(until, entry.get().details().notAfter());
        }
        return Optional.of(new PoolTlsMaterial(anchors, client, until));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Lock(LockType.READ)
    public Optional<CertificateEntry> find(String name) {
        return byName(name).map(Certificates::entry);
    }

    /**
     * Adds certificate material to the inventory under a new name.
     *
     * @throws CertificateRefused with every reason it is not good enough, or PHIG-1111 when it is there already
     */
    public CertificateEntry importCertificate(String name, CertificatePurpose purpose, CertificateMaterial material, ChangeOrigin origin) {
        audit.requireStoreUp();
        if (byName(name).isPresent()) {
            throw new CertificateRefused(CertificateRefused.EXISTS, "a certificate named " + name
                    + " is in the inventory; certificates are never replaced: import under a new name (and activate it)");
        }
        CertificateDetails details = CertificateCheck.check(material, purpose, clock.instant());
        list().stream().filter(c -> c.purpose() == purpose && c.details().fingerprint().equals(details.fingerprint())).findFirst()
                .ifPresent(c -> {
                    throw new CertificateRefused(CertificateRefused.EXISTS, "this certificate is in the inventory already, as " + c.name());
                });
        Optional<String> reference = material.key().isPresent() ? Optional.of(storeKey(name, material)) : Optional.empty();
        RegisteredCertificate entry = new RegisteredCertificate(name, purpose, details, reference, clock.instant(), origin.who());
        em.persist(entry);
        em.flush();
        CertificateEntry added = entry(entry);
        audit.recordOnCommit(origin, "certificates." + name, null, json(added));
        publishAfterCommit(inventory -> inventory.put(name, added));
        return added;
    }

    /**
     * Puts the certificates a configuration file names in the inventory, in the caller's transaction: one already there
     * under its name with the same certificate and purpose is left as it is; a new one is imported as through the admin
     * API. Answers the inventory as it will be once the transaction commits, name to purpose, for the pools' checks, and
     * the entries imported, for {@link #adopt}.
     *
     * @throws ConfigurationRejected naming each certificate that cannot be read, is refused, or differs from the one
     *                               of its name (an inventoried certificate is never replaced: a renewed one takes a new name)
     */
    public Ensured ensure(DesiredState desired, ChangeOrigin origin) {
        Map<String, CertificatePurpose> inventory = purposes();
        List<CertificateEntry> imported = new java.util.ArrayList<>();
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        for (CertificateSource source : desired.certificates()) {
            String field = "certificates." + source.name();
            try {
                CertificateMaterial material = source.read();
                Optional<RegisteredCertificate> existing = byName(source.name());
                if (existing.isEmpty()) {
                    imported.add(importCertificate(source.name(), source.purpose(), material, origin));
                } else if (existing.get().purpose() != source.purpose()
                        || !existing.get().details().fingerprint().equals(CertificateCheck.details(material).fingerprint())) {
                    problems.add(desired.problem(CertificateRefused.EXISTS, field, "the inventory holds another "
                            + existing.get().purpose().slug() + " certificate under this name; certificates are never replaced: give the new one a new name"));
                }
                inventory.put(source.name(), source.purpose());
            } catch (CertificateRefused e) {
                e.reasons().forEach(r -> problems.add(desired.problem(r.code(), field, r.message())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationRejected(problems);
        }
        return new Ensured(inventory, List.copyOf(imported));
    }

    /**
     * Makes a server certificate the one the listeners present, without restart. The previous one stays in the inventory,
     * inactive, so the change can be undone by activating it again.
     *
     * @throws CertificateRefused PHIG-1112 for a certificate that is not a server certificate with a key, or not valid now
     */
    public CertificateEntry activate(String name, ChangeOrigin origin) {
        audit.requireStoreUp();
        RegisteredCertificate next = byName(name).orElseThrow(() -> new CertificateRefused(CertificateRefused.NOT_APPLICABLE, "no certificate named " + name));
        if (next.purpose() != CertificatePurpose.SERVER || next.keyReference().filter(r -> r.startsWith(KeyVault.REFERENCE_PREFIX)).isEmpty()) {
            throw new CertificateRefused(CertificateRefused.NOT_APPLICABLE, name + " is not a server certificate imported with its key");
        }
        if (!next.details().validAt(clock.instant())) {
            throw new CertificateRefused(CertificateRefused.NOT_APPLICABLE, name + " is not valid now (" + next.details().notBefore() + " to "
                    + next.details().notAfter() + ")");
        }
        ListenerTls listeners = ListenerTls.fromSystemProperties().orElseThrow(() -> new CertificateRefused(CertificateRefused.NO_KEY_STORE,
                "phigate.tls.keystore is not set on this server; see docs/certificates.md"));
        List<RegisteredCertificate> previous = em.createNamedQuery(RegisteredCertificate.FIND_ACTIVE, RegisteredCertificate.class)
                .setParameter("purpose", "server").getResultList();
        String before = previous.stream().findFirst().map(c -> json(entry(c))).orElse(null);
        try {
            listeners.install(keyAndChain(next.keyReference().get(), next.details()));
        } catch (IOException | GeneralSecurityException | JMException e) {
            LOG.log(Level.SEVERE, "PHIG-5110 the server certificate " + name + " could not be installed; the listeners keep the previous one", e);
            throw new IllegalStateException("PHIG-5110 the certificate could not be installed in the listeners' key store", e);
        }
        previous.forEach(RegisteredCertificate::deactivate);
        next.activate();
        em.flush();
        audit.recordOnCommit(origin, "certificates.active-server", before, json(entry(next)));
        List<CertificateEntry> changed = new java.util.ArrayList<>(previous.stream().map(Certificates::entry).toList());
        changed.add(entry(next));
        publishAfterCommit(inventory -> changed.forEach(c -> inventory.put(c.name(), c)));
        LOG.info(() -> "PHIG-0813 the listeners now present " + name + " (" + next.details().fingerprint() + "), by " + origin.who());
        return entry(next);
    }

    /** @return false when there is no such certificate; @throws CertificateRefused PHIG-1112 for the active server certificate */
    public boolean remove(String name, ChangeOrigin origin) {
        audit.requireStoreUp();
        Optional<RegisteredCertificate> found = byName(name);
        if (found.isEmpty()) {
            return false;
        }
        RegisteredCertificate c = found.get();
        if (c.active()) {
            throw new CertificateRefused(CertificateRefused.NOT_APPLICABLE, name + " is the certificate the listeners present; activate another first");
        }
        List<String> users = feed.current().pools().values().stream()
                .filter(p -> p.tls().trust().contains(name) || p.tls().clientCertificate().equals(Optional.of(name))).map(p -> p.name()).sorted().toList();
        if (!users.isEmpty()) {
            throw new CertificateRefused(CertificateRefused.NOT_APPLICABLE, name + " is used by the pools " + users + "; change their tls first");
        }
        em.remove(c);
        em.flush();
        audit.recordOnCommit(origin, "certificates." + name, json(entry(c)), null);
        publishAfterCommit(inventory -> inventory.remove(name));
        c.keyReference().filter(r -> r.startsWith(KeyVault.REFERENCE_PREFIX)).ifPresent(r -> {
            try {
                vault().remove(r.substring(KeyVault.REFERENCE_PREFIX.length()));
            } catch (IOException | GeneralSecurityException | CertificateRefused e) {
                LOG.log(Level.WARNING, "PHIG-0814 the key of the removed certificate " + name + " stays in the key store", e);
            }
        });
        return true;
    }

    /** The key from the key store, with the chain as the inventory recorded it ({@link KeyVault#key} says why). */
    private static KeyVault.Entry keyAndChain(String reference, CertificateDetails details) throws IOException, GeneralSecurityException {
        PrivateKey key = vault().key(reference.substring(KeyVault.REFERENCE_PREFIX.length()));
        return new KeyVault.Entry(key, CertificateMaterial.fromPem(details.chainPem()).chain());
    }

    private String storeKey(String name, CertificateMaterial material) {
        try {
            return vault().store(name, material.key().orElseThrow(), material.chain());
        } catch (IOException | GeneralSecurityException e) {
            LOG.log(Level.SEVERE, "PHIG-1113 the private key of " + name + " could not be written to the key store", e);
            throw new CertificateRefused(CertificateRefused.NO_KEY_STORE, "the private key could not be stored; see the server log (PHIG-1113)");
        }
    }

    private static KeyVault vault() {
        String path = System.getProperty("phigate.keys.keystore", "");
        if (path.isBlank()) {
            throw new CertificateRefused(CertificateRefused.NO_KEY_STORE,
                    "this server has no key store for private keys: set phigate.keys.keystore and its password (docs/certificates.md)");
        }
        return new KeyVault(Path.of(path), System.getProperty("phigate.keys.keystore.password", "").toCharArray());
    }

    private Optional<RegisteredCertificate> byName(String name) {
        return em.createNamedQuery(RegisteredCertificate.FIND_BY_NAME, RegisteredCertificate.class).setParameter("name", name)
                .getResultStream().findFirst();
    }

    private static CertificateEntry entry(RegisteredCertificate c) {
        return new CertificateEntry(c.name(), c.purpose(), c.details(), c.keyReference(), c.active(), c.importedAt(), c.importedBy());
    }

    /** The entry as the audit trail keeps it: everything but the PEM chain, which the fingerprint pins. */
    public static Map<String, Object> view(CertificateEntry c) {
        CertificateDetails d = c.details();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("purpose", c.purpose().slug());
        m.put("subject", d.subject());
        m.put("subjectAltNames", String.join(",", d.subjectAltNames()));
        m.put("issuer", d.issuer());
        m.put("serial", d.serial());
        m.put("notBefore", d.notBefore().toString());
        m.put("notAfter", d.notAfter().toString());
        m.put("keyType", d.keyType());
        m.put("keySize", (long) d.keySize());
        m.put("signatureAlgorithm", d.signatureAlgorithm());
        m.put("fingerprint", d.fingerprint());
        m.put("keyReference", c.keyReference().orElse(null));
        m.put("active", c.active());
        m.put("importedAt", c.importedAt().toString());
        m.put("importedBy", c.importedBy());
        return m;
    }

    private static String json(CertificateEntry c) {
        return AuditJson.object(view(c));
    }

    @Lock(LockType.READ)
    public Instant now() {
        return clock.instant();
    }
}
