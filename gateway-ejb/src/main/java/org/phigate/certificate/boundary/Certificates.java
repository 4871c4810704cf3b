// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.control.AuditJson;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.certificate.control.CertificateCheck;
import org.phigate.certificate.control.CertificateDetails;
import org.phigate.certificate.control.CertificateEntry;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateRefused;
import org.phigate.certificate.control.KeyVault;
import org.phigate.certificate.entity.RegisteredCertificate;

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
public class Certificates {

    private static final Logger LOG = Logger.getLogger(Certificates.class.getName());
    private static final String SERVER_CONFIGURATION = "server-configuration";
    private static final String BACKEND_TRUST_STORE = "truststore:phigate.backend.truststore";

    private final Clock clock = Clock.systemUTC();

    @PersistenceContext(unitName = "phigate")
    EntityManager em;

    @EJB
    AuditJournal audit;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void inventoryServerConfiguration() {
        inventoryListenerCertificate();
        inventoryBackendTrustStore();
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
        audit.recordOnCommit(origin, "certificates." + name, null, json(entry(entry)));
        return entry(entry);
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
            listeners.install(vault().read(next.keyReference().get().substring(KeyVault.REFERENCE_PREFIX.length())));
        } catch (IOException | GeneralSecurityException | JMException e) {
            LOG.log(Level.SEVERE, "PHIG-5110 the server certificate " + name + " could not be installed; the listeners keep the previous one", e);
            throw new IllegalStateException("PHIG-5110 the certificate could not be installed in the listeners' key store", e);
        }
        previous.forEach(RegisteredCertificate::deactivate);
        next.activate();
        em.flush();
        audit.recordOnCommit(origin, "certificates.active-server", before, json(entry(next)));
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
        em.remove(c);
        em.flush();
        audit.recordOnCommit(origin, "certificates." + name, json(entry(c)), null);
        c.keyReference().filter(r -> r.startsWith(KeyVault.REFERENCE_PREFIX)).ifPresent(r -> {
            try {
                vault().remove(r.substring(KeyVault.REFERENCE_PREFIX.length()));
            } catch (IOException | GeneralSecurityException | CertificateRefused e) {
                LOG.log(Level.WARNING, "PHIG-0814 the key of the removed certificate " + name + " stays in the key store", e);
            }
        });
        return true;
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
