// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;

/**
 * Sends a node's audit chain to a SIEM as syslog, in chain order, from where it last left off. The database is the
 * source: the forwarder reads what the group commit made durable, after a cursor that it moves only once a batch
 * has been written and flushed. So the data plane never waits for the SIEM, an outage of the SIEM loses nothing
 * (the forwarder catches up from the cursor), and a batch whose write failed is sent again on the next connection.
 * Syslog over TLS has no acknowledgement: what the receiver's kernel took before the receiver died is gone from
 * its side, which the SIEM sees as a gap in {@code seq}.
 */
public final class SyslogForwarder implements Runnable {

    /** Where the entries come from and where the forwarder keeps its place. */
    public interface Source {
        /** The last position forwarded to this target, starting at the chain's current end for a new target. */
        long cursor() throws Exception;

        /** Up to {@code max} entries of the node after {@code seq}, in order. */
        List<AuditEntry> after(long seq, int max) throws Exception;

        void advance(long seq) throws Exception;
    }

    /** Opens a connection to the receiver; for TLS, one whose handshake has checked the receiver's certificate and name. */
    public interface Connector {
        Socket open(String host, int port) throws IOException;
    }

    /** What the health endpoint shows. */
    public record Status(String target, boolean connected, long forwarded, String lastProblem) {
    }

    private static final Logger LOG = Logger.getLogger(SyslogForwarder.class.getName());
    static final int BATCH = 500;
    private static final long IDLE_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final Source source;
    private final Connector connector;
    private final String host;
    private final int port;
    private final String hostname;
    private volatile boolean running = true;
    private volatile Socket socket;
    private volatile long forwarded = -1;
    private volatile String lastProblem;

    /** @param hostname the HOSTNAME field of every message */
    public SyslogForwarder(Source source, Connector connector, String host, int port, String hostname) {
        this.source = Objects.requireNonNull(source, "source");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.hostname = hostname;
    }

    public Status status() {
        return new Status(host + ":" + port, socket != null, forwarded, lastProblem);
    }

    public void stop() {
        running = false;
        disconnect();
    }

    @Override
    public void run() {
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                }
                if (forwarded < 0) {
                    forwarded = source.cursor();
                }
                List<AuditEntry> batch = source.after(forwarded, BATCH);
                if (batch.isEmpty()) {
                    backoff = IDLE_MILLIS;
                    continue;
                }
                send(batch);
                long last = batch.get(batch.size() - 1).seq();
                source.advance(last);
                forwarded = last;
                lastProblem = null;
                backoff = batch.size() == BATCH ? 0 : IDLE_MILLIS;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                disconnect();
                backoff = backoff <= IDLE_MILLIS ? 1_000 : Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!problem.equals(lastProblem)) {
                    LOG.warning(() -> "PHIG-0441 audit entries after " + forwarded + " could not be sent to syslog " + host + ":" + port
                            + " (" + problem + "); retrying, nothing is lost while the audit store keeps them");
                }
                lastProblem = problem;
            }
        }
    }

    private void send(List<AuditEntry> batch) throws IOException {
        Socket s = socket != null && stillOpen(socket) ? socket : connect();
        OutputStream out = s.getOutputStream();
        for (AuditEntry entry : batch) {
            out.write(SyslogMessage.framed(entry, hostname));
        }
        out.flush();
    }

    /**
     * A receiver never sends, so a connection it has closed reads end of stream (or a TLS close) at once. Writing
     * to it would still succeed locally and the batch would be lost: look before each batch.
     */
    private static boolean stillOpen(Socket s) {
        try {
            int timeout = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                return s.getInputStream().read() >= 0;
            } finally {
                s.setSoTimeout(timeout);
            }
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Socket connect() throws IOException {
        disconnect();
        Socket connected = connector.open(host, port);
        socket = connected;
        String over = connected instanceof SSLSocket tls ? " over " + tls.getSession().getProtocol() : "";
        LOG.info(() -> "PHIG-0440 audit entries go to syslog " + host + ":" + port + " from entry " + (forwarded + 1) + over);
        return connected;
    }

    private void disconnect() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
        }
    }
}
