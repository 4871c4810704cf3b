// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;

/**
 * Runs the Flyway migrations when Hibernate builds the persistence unit, which is before it validates the
 * schema ({@code hibernate.hbm2ddl.auto=validate}). An EJB {@code @Startup} bean would run too late:
 * the persistence unit, and its validation, start first. Only the {@code phigate} unit is migrated.
 */
public final class FlywayMigration implements Integrator {

    private static final Logger LOG = Logger.getLogger(FlywayMigration.class.getName());
    static final String UNIT_PROPERTY = "phigate.migrate";

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        Object wanted = sessionFactory.getProperties().get(UNIT_PROPERTY);
        if (!"true".equals(String.valueOf(wanted))) {
            return;
        }
        DataSource dataSource = sessionFactory.getServiceRegistry().getService(ConnectionProvider.class).unwrap(DataSource.class);
        MigrateResult result = Flyway.configure(FlywayMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor(dataSource))
                .failOnMissingLocations(true)
                .load()
                .migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info(() -> "PHIG-0001 database schema at version " + version + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /** The folder of vendor-specific migrations: postgresql or h2 (Flyway's own placeholder does not resolve on WildFly's VFS). */
    static String vendor(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            return product.contains("postgres") ? "postgresql" : "h2";
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PHIG-0002 the registry database cannot be reached to migrate it", e);
        }
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory,
                             org.hibernate.service.spi.SessionFactoryServiceRegistry serviceRegistry) {
    }
}
