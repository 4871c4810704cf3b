// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditUnavailable;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.route.boundary.RegistryBusy;
import org.phigate.route.boundary.Routes;

/**
 * Applies the configuration file (system property {@code phigate.config}, else environment {@code PHIGATE_CONFIG})
 * at startup, then again whenever its content changes, checked once a second. A refused version changes nothing:
 * the last good configuration keeps serving, and the refusal is logged and shown by the health endpoint.
 */
@Singleton
@Startup
@DependsOn("Routes")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ConfigurationWatch {

    private static final Logger LOG = Logger.getLogger(ConfigurationWatch.class.getName());
    private static final long CHECK_EVERY_MS = 1000;

    @EJB
    Routes routes;


    @Resource
    TimerService timers;

    /** Read without a lock: the health endpoint must answer while a change is applied. */
    private volatile ConfigurationStatus status = ConfigurationStatus.none();
    /** Checks run one at a time (the timer's and the first one at start); only they touch {@link #lastSeenSha256}. */
    private final Object checking = new Object();
    private String lastSeenSha256 = "";

    @PostConstruct
    void start() {
        configuredFile().ifPresent(file -> {
            LOG.info(() -> "PHIG-0110 configuration file: " + file);
            check();
            timers.createIntervalTimer(CHECK_EVERY_MS, CHECK_EVERY_MS, new TimerConfig("phigate-config-watch", false));
        });
    }

    public ConfigurationStatus status() {
        return status;
    }

    @Timeout
    void check() {
        synchronized (checking) {
            configuredFile().ifPresent(this::checkFile);
        }
    }

    private void checkFile(Path file) {
        String source = file.toString();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            refuse(source, "", new ConfigProblem(ConfigProblem.UNREADABLE, source, 0, "", "the file does not exist"));
            return;
        } catch (IOException e) {
            refuse(source, "", new ConfigProblem(ConfigProblem.UNREADABLE, source, 0, "", "the file cannot be read: " + e.getClass().getSimpleName()));
            return;
        }
        String sha256 = sha256(content);
        if (sha256.equals(lastSeenSha256)) {
            return;
        }
        lastSeenSha256 = sha256;
        try {
            DesiredState desired = ConfigurationParser.parse(source, new String(content, StandardCharsets.UTF_8));
            routes.apply(desired, ChangeOrigin.file(source));
            status = status.applied(source, sha256, Instant.now());
            LOG.info(() -> "PHIG-0111 configuration applied from " + source + " (sha256 " + sha256.substring(0, 12) + ")");
        } catch (AuditUnavailable e) {
            lastSeenSha256 = null;
            LOG.warning(() -> "PHIG-0113 the configuration file changed; it is applied once the audit store is back, so that the change is recorded");
        } catch (RegistryBusy e) {
            lastSeenSha256 = null;
            LOG.warning(() -> "PHIG-0114 the configuration file changed while another registry change was still being written;"
                    + " it is applied at the next check");
        } catch (ConfigurationRejected e) {
            status = status.refused(source, sha256, e.problems());
            e.problems().forEach(p -> LOG.warning(() -> "PHIG-0112 configuration refused, nothing changed: " + p));
        }
    }

    private void refuse(String source, String sha256, ConfigProblem problem) {
        if (!problem.toString().equals(status.problems().stream().findFirst().map(ConfigProblem::toString).orElse(""))) {
            LOG.warning(() -> "PHIG-0112 configuration refused, nothing changed: " + problem);
        }
        lastSeenSha256 = sha256;
        status = status.refused(source, sha256, List.of(problem));
    }

    private static Optional<Path> configuredFile() {
        String configured = System.getProperty("phigate.config", System.getenv("PHIGATE_CONFIG"));
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
