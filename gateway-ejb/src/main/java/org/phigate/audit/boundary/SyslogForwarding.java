// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.SyslogForwarder;

/**
 * Forwards this node's audit chain to a SIEM: RFC 5424 messages over TLS (RFC 5425), TLS 1.2 or 1.3 only, the
 * receiver's certificate checked against a trust store and its name against the target's host. Settings (system
 * properties): {@code phigate.audit.syslog.target} ({@code host:port}; empty: off),
 * {@code phigate.audit.syslog.truststore} and {@code .password} (PKCS#12; empty: the JVM's default CAs).
 * The place reached is kept per node and target in {@code audit_forward_cursor}; a new target starts at the end of
 * the chain (older entries are in the export).
 */
@Singleton
@LocalBean
@Startup
@DependsOn("AuditJournal")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SyslogForwarding {

    private static final Logger LOG = Logger.getLogger(SyslogForwarding.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    @Resource(lookup = "java:jboss/datasources/PhigateDS")
    DataSource data;

    @Resource
    ManagedThreadFactory threads;

    @EJB
    AuditJournal journal;

    private SyslogForwarder forwarder;

    @PostConstruct
    void start() {
        String target = System.getProperty("phigate.audit.syslog.target", "").trim();
        if (target.isEmpty()) {
            LOG.info("PHIG-0442 audit forwarding to syslog is off (phigate.audit.syslog.target is empty)");
            return;
        }
        int colon = target.lastIndexOf(':');
        int port = colon > 0 ? parsePort(target.substring(colon + 1)) : -1;
        if (port < 0) {
            throw new IllegalStateException("PHIG-0443 phigate.audit.syslog.target must be host:port (for example siem.example.org:6514), not '"
                    + target + "'");
        }
        String host = target.substring(0, colon).replaceAll("^\\[|\\]$", "");
        SSLSocketFactory tls = tls().getSocketFactory();
        forwarder = new SyslogForwarder(new Cursor(data, journal.node(), target), (h, p) -> open(tls, h, p), host, port, localHostname());
        threads.newThread(forwarder).start();
    }

    @PreDestroy
    void stop() {
        if (forwarder != null) {
            forwarder.stop();
        }
    }

    /** Empty when forwarding is off. */
    public Optional<SyslogForwarder.Status> status() {
        return Optional.ofNullable(forwarder).map(SyslogForwarder::status);
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port < 65536 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static SSLContext tls() {
        String store = System.getProperty("phigate.audit.syslog.truststore", "").trim();
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (store.isEmpty()) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(Path.of(store))) {
                    anchors.load(in, System.getProperty("phigate.audit.syslog.truststore.password", "").toCharArray());
                }
                trust.init(anchors);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("PHIG-0444 the syslog trust store " + store + " cannot be read (" + e.getMessage()
                    + "); check phigate.audit.syslog.truststore and its password", e);
        }
    }

    /** TCP, then TLS on it with the target's name for SNI and for the certificate check. */
    private static Socket open(SSLSocketFactory tls, String host, int port) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }

    /** The node's entries and the forwarder's place, in autocommit on the server's pool (no JTA transaction). */
    private record Cursor(DataSource data, String node, String target) implements SyslogForwarder.Source {

        @Override
        public long cursor() throws SQLException {
            try (Connection c = data.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_forward_cursor WHERE node = ? AND target = ?")) {
                s.setString(1, node);
                s.setString(2, target);
                try (ResultSet rows = s.executeQuery()) {
                    if (rows.next()) {
                        return rows.getLong(1);
                    }
                }
            }
            long end = JdbcAuditStore.last(data, node).map(AuditEntry::seq).orElse(0L);
            try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO audit_forward_cursor (node, target, seq, at_micros) VALUES (?, ?, ?, ?)")) {
                s.setString(1, node);
                s.setString(2, target);
                s.setLong(3, end);
                s.setLong(4, AuditClock.nowMicros());
                s.executeUpdate();
            }
            LOG.info(() -> "PHIG-0445 new syslog target " + target + ": node " + node + " forwards its entries after " + end);
            return end;
        }

        @Override
        public List<AuditEntry> after(long seq, int max) throws SQLException {
            try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + JdbcAuditStore.COLUMNS
                    + " FROM audit_entry WHERE node = ? AND seq > ? ORDER BY seq FETCH FIRST " + max + " ROWS ONLY")) {
                s.setString(1, node);
                s.setLong(2, seq);
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        entries.add(JdbcAuditStore.read(rows));
                    }
                }
                return entries;
            }
        }

        @Override
        public void advance(long seq) throws SQLException {
            try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement(
                    "UPDATE audit_forward_cursor SET seq = ?, at_micros = ? WHERE node = ? AND target = ?")) {
                s.setLong(1, seq);
                s.setLong(2, AuditClock.nowMicros());
                s.setString(3, node);
                s.setString(4, target);
                s.executeUpdate();
            }
        }
    }
}
