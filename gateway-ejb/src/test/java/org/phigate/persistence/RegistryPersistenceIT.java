// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.identity.entity.ServiceIdentity;
import org.phigate.certificate.control.CertificateDetails;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.entity.RegisteredCertificate;
import org.phigate.vendor.control.PhiScope;
import org.phigate.vendor.control.VendorSpec;
import org.phigate.vendor.entity.BusinessAssociate;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.Cidr;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolSpec;
import org.postgresql.ds.PGSimpleDataSource;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.entity.BackendPool;
import org.phigate.route.entity.Route;

/**
 * The registry's mappings and migrations against both databases PHIGate supports: a real PostgreSQL server
 * and H2. Flyway migrates an empty database, Hibernate validates the result, and the constraints that keep
 * the registry consistent hold in each.
 */
class RegistryPersistenceIT {

    private static PostgresServer postgres;
    private static EntityManagerFactory onPostgres;
    private static EntityManagerFactory onH2;

    @BeforeAll
    static void databases() throws Exception {
        postgres = PostgresServer.start();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(postgres.jdbcUrl());
        pg.setUser(postgres.user());
        onPostgres = Persistence.createEntityManagerFactory("phigate-test", Map.of("jakarta.persistence.nonJtaDataSource", pg));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        onH2 = Persistence.createEntityManagerFactory("phigate-test", Map.of("jakarta.persistence.nonJtaDataSource", h2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (onPostgres != null) {
            onPostgres.close();
        }
        if (onH2 != null) {
            onH2.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<String> databaseNames() {
        return Stream.of("postgresql", "h2");
    }

    private static EntityManagerFactory emf(String database) {
        return database.equals("postgresql") ? onPostgres : onH2;
    }

    private static void inTransaction(String database, Consumer<EntityManager> work) {
        EntityManager em = emf(database).createEntityManager();
        try {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static PoolSpec pool(String name) {
        return PoolSpec.of(name, List.of(URI.create("https://127.0.0.1:9444"), URI.create("https://127.0.0.1:9445/base")));
    }

    private static RouteSpec route(String name, String prefix, String pool) {
        return new RouteSpec(name, prefix, Set.of("GET", "POST"), pool, "/r4/", true, Duration.ofMillis(1500), Duration.ofSeconds(20),
                Optional.of(new AccessPolicy(Set.of("clinician", "break-glass"), Set.of("phigate-ehr"), Set.of("lab-feed", "billing"),
                        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1")), true, true)), Set.of("code", "status"),
                new org.phigate.waf.control.WafPolicy(org.phigate.waf.control.WafPolicy.Mode.DETECT, org.phigate.waf.control.WafPolicy.Profile.GENERIC,
                        4L << 20, true, List.of(new org.phigate.waf.control.WafPolicy.Exclusion("PHIG-WAF-3002", "json:$..div"),
                                new org.phigate.waf.control.WafPolicy.Exclusion("PHIG-WAF-2008", ""))));
    }

    private static void persistPoolAndRoute(String database, String suffix, String prefix) {
        inTransaction(database, em -> {
            BackendPool pool = new BackendPool(pool("p-" + suffix), Optional.empty());
            em.persist(pool);
            em.persist(new Route(route("r-" + suffix, prefix, "p-" + suffix), pool, Optional.empty()));
        });
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void aRouteAndItsPoolSurviveTheRoundTrip(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        persistPoolAndRoute(database, suffix, "/r-" + suffix + "/");

        EntityManager em = emf(database).createEntityManager();
        Route read = em.createNamedQuery(Route.FIND_BY_NAME, Route.class).setParameter("name", "r-" + suffix).getSingleResult();
        assertThat(read.toSpec()).isEqualTo(route("r-" + suffix, "/r-" + suffix + "/", "p-" + suffix));
        BackendPool readPool = em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult();
        assertThat(readPool.toSpec()).isEqualTo(pool("p-" + suffix));
        em.close();
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void twoRoutesCannotShareANameOrAPrefixWithTheSameMethods(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        persistPoolAndRoute(database, suffix, "/a-" + suffix + "/");

        assertThatThrownBy(() -> inTransaction(database, em -> {
            BackendPool pool = em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult();
            em.persist(new Route(route("r-" + suffix, "/b-" + suffix + "/", "p-" + suffix), pool, Optional.empty()));
        })).isInstanceOf(PersistenceException.class);
        assertThatThrownBy(() -> inTransaction(database, em -> {
            BackendPool pool = em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult();
            em.persist(new Route(route("other-" + suffix, "/a-" + suffix + "/", "p-" + suffix), pool, Optional.empty()));
        })).isInstanceOf(PersistenceException.class);
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void aPoolInUseCannotBeDeleted(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        persistPoolAndRoute(database, suffix, "/c-" + suffix + "/");

        assertThatThrownBy(() -> inTransaction(database, em -> em.remove(
                em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult())))
                .isInstanceOf(PersistenceException.class);
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void concurrentEditsOfOnePoolAreDetected(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        inTransaction(database, em -> em.persist(new BackendPool(pool("p-" + suffix), Optional.empty())));
        EntityManager first = emf(database).createEntityManager();
        EntityManager second = emf(database).createEntityManager();
        first.getTransaction().begin();
        second.getTransaction().begin();
        BackendPool a = first.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult();
        BackendPool b = second.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult();
        a.replaceWith(PoolSpec.of("p-" + suffix, List.of(URI.create("https://127.0.0.1:1"))), Optional.empty());
        b.replaceWith(PoolSpec.of("p-" + suffix, List.of(URI.create("https://127.0.0.1:2"))), Optional.empty());
        first.getTransaction().commit();

        assertThatThrownBy(() -> second.getTransaction().commit())
                .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(OptimisticLockException.class),
                        e -> assertThat(e).hasCauseInstanceOf(OptimisticLockException.class));
        first.close();
        second.close();
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void aServiceIdentitySurvivesTheRoundTripAndTwoCannotShareACertificate(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String fingerprint = ServiceIdentitySpec.fingerprintOf(suffix.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ServiceIdentitySpec spec = new ServiceIdentitySpec("id-" + suffix, fingerprint, false, "Laboratory results feed");
        inTransaction(database, em -> em.persist(new ServiceIdentity(spec)));

        EntityManager em = emf(database).createEntityManager();
        assertThat(em.createNamedQuery(ServiceIdentity.FIND_BY_NAME, ServiceIdentity.class).setParameter("name", "id-" + suffix)
                .getSingleResult().toSpec()).isEqualTo(spec);
        em.close();
        assertThatThrownBy(() -> inTransaction(database, other -> other.persist(new ServiceIdentity(
                new ServiceIdentitySpec("copy-" + suffix, fingerprint, true, ""))))).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void aVendorAndTheRoutesAndPoolsLinkedToItSurviveTheRoundTripAndItCannotGoWhileLinked(String database) {
        // the pool also names the certificates of its own TLS (V14)
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        VendorSpec vendor = new VendorSpec("v-" + suffix, "Acme Reference Laboratories, Inc.", "privacy@acme.example", VendorSpec.Status.ACTIVE,
                java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.Instant.parse("2027-01-01T05:00:00Z"),
                new PhiScope(Set.of("r-" + suffix), Set.of("Observation", "DiagnosticReport")),
                Optional.of(new VendorSpec.Agreement("acme-baa.pdf", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
        PoolSpec poolSpec = new PoolSpec("p-" + suffix, List.of(BackendSpec.of(URI.create("https://127.0.0.1:9444"))),
                org.phigate.route.control.PoolPolicy.DEFAULT, Optional.of(vendor.name()),
                new org.phigate.route.control.PoolTls(List.of("acme-ca", "acme-ca-2027"), Optional.of("to-acme")));
        inTransaction(database, em -> {
            BusinessAssociate associate = new BusinessAssociate(vendor);
            em.persist(associate);
            BackendPool pool = new BackendPool(poolSpec, Optional.of(associate));
            em.persist(pool);
            em.persist(new Route(route("r-" + suffix, "/v-" + suffix + "/", "p-" + suffix), pool, Optional.empty()));
        });

        EntityManager em = emf(database).createEntityManager();
        assertThat(em.createNamedQuery(BusinessAssociate.FIND_BY_NAME, BusinessAssociate.class).setParameter("name", vendor.name())
                .getSingleResult().toSpec()).isEqualTo(vendor);
        assertThat(em.createNamedQuery(BackendPool.FIND_BY_NAME, BackendPool.class).setParameter("name", "p-" + suffix).getSingleResult()
                .toSpec()).as("with its vendor and its tls").isEqualTo(poolSpec);
        em.close();
        assertThatThrownBy(() -> inTransaction(database, other -> other.remove(other.createNamedQuery(BusinessAssociate.FIND_BY_NAME,
                BusinessAssociate.class).setParameter("name", vendor.name()).getSingleResult())))
                .as("the database keeps the link even if the registry's check were bypassed").isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @MethodSource("databaseNames")
    void aCertificateOfTheInventorySurvivesTheRoundTripAndCannotBeInventoriedTwiceForOnePurpose(String database) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String fingerprint = ServiceIdentitySpec.fingerprintOf(suffix.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        CertificateDetails details = new CertificateDetails("CN=gateway.hospital.example", List.of("dns:gateway.hospital.example", "ip:127.0.0.1"),
                "CN=Hospital Issuing CA", "1f2e3d", java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.Instant.parse("2027-02-01T00:00:00Z"),
                "EC", 256, "SHA256withECDSA", fingerprint, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        inTransaction(database, em -> em.persist(new RegisteredCertificate("c-" + suffix, CertificatePurpose.SERVER, details,
                Optional.of("keys:c-" + suffix), java.time.Instant.parse("2026-11-26T10:00:00Z"), "admin")));

        EntityManager em = emf(database).createEntityManager();
        RegisteredCertificate stored = em.createNamedQuery(RegisteredCertificate.FIND_BY_NAME, RegisteredCertificate.class)
                .setParameter("name", "c-" + suffix).getSingleResult();
        assertThat(stored.details()).isEqualTo(details);
        assertThat(stored.keyReference()).hasValue("keys:c-" + suffix);
        em.close();
        assertThatThrownBy(() -> inTransaction(database, other -> other.persist(new RegisteredCertificate("copy-" + suffix,
                CertificatePurpose.SERVER, details, Optional.empty(), java.time.Instant.now(), "admin")))).isInstanceOf(RuntimeException.class);
    }
}
