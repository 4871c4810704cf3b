// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.SyslogForwarder;
import org.phigate.audit.control.SyslogMessage;

/** The syslog message format, and the forwarder against a plain TCP receiver on loopback (the IT uses rsyslog over TLS). */
class SyslogForwarderTest {

    private static List<AuditEntry> chain(int count) {
        AuditChain chain = new AuditChain("node-1", 0, AuditChain.GENESIS);
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            entries.add(AuditEntry.access("req" + i, 1_764_000_000_000_000L + i)
                    .decision(i % 2 == 0 ? AuditEntry.Decision.REFUSE : AuditEntry.Decision.FORWARD, i % 2 == 0 ? "PHIG-4032" : null, false, null)
                    .request("GET", "ehr", "/fhir/Patient/*").build());
        }
        return AuditChain.Linked.entries(chain.link(entries));
    }

    /** In memory: the entries of one node and the forwarder's place. */
    private static final class Entries implements SyslogForwarder.Source {
        final List<AuditEntry> all = new CopyOnWriteArrayList<>();
        volatile long cursor;

        Entries(List<AuditEntry> first) {
            all.addAll(first);
        }

        @Override
        public long cursor() {
            return cursor;
        }

        @Override
        public List<AuditEntry> after(long seq, int max) {
            return all.stream().filter(e -> e.seq() > seq).limit(max).toList();
        }

        @Override
        public void advance(long seq) {
            cursor = seq;
        }
    }

    /** Reads octet-counted frames from every connection it accepts, until told to stop. */
    private static final class Receiver implements AutoCloseable {
        final ServerSocket server;
        final List<String> messages = new CopyOnWriteArrayList<>();
        final Thread thread;
        volatile Socket connection;

        Receiver(int port) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
                        connection = s;
                        while (true) {
                            messages.add(new String(frame(in), StandardCharsets.UTF_8));
                        }
                    } catch (IOException ignored) {
                        // connection or receiver closed
                    }
                }
            });
            thread.start();
        }

        static byte[] frame(DataInputStream in) throws IOException {
            ByteArrayOutputStream length = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != ' ') {
                if (b < 0) {
                    throw new EOFException();
                }
                length.write(b);
            }
            byte[] message = new byte[Integer.parseInt(length.toString(StandardCharsets.US_ASCII))];
            in.readFully(message);
            return message;
        }

        @Override
        public void close() throws Exception {
            server.close();
            Socket s = connection;
            if (s != null) {
                s.close();
            }
            thread.join(2000);
        }
    }

    private static void awaitCount(List<String> messages, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aMessageIsRfc5424WithTheChainInItsStructuredDataAndTheEntryAsJson() {
        AuditEntry refused = chain(2).get(1);

        String framed = new String(SyslogMessage.framed(refused, "gw-1.example.org"), StandardCharsets.UTF_8);
        int space = framed.indexOf(' ');
        String message = framed.substring(space + 1);

        assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(framed.substring(0, space)));
        assertThat(message).startsWith("<109>1 2025-11-24T16:00:00.000002Z gw-1.example.org phigate - ACCESS [phigate@32473 node=\"node-1\" seq=\"2\" "
                + "requestId=\"req2\" decision=\"REFUSE\" reason=\"PHIG-4032\" prevHash=\"" + refused.prevHash() + "\" hash=\"" + refused.hash() + "\"] \uFEFF{")
                .contains("\"path\":\"/fhir/Patient/*\"", "\"seq\":2", "\"breakGlass\":false")
                .doesNotContain("\"subject\"");
    }

    @Test
    void itForwardsInOrderFromItsCursorAndCatchesUpAfterTheReceiverWasDown() throws Exception {
        Entries entries = new Entries(chain(1200));
        entries.cursor = 100;
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        SyslogForwarder forwarder = new SyslogForwarder(entries, (host, p) -> new Socket(host, p), "127.0.0.1", port, "gw-1");
        Thread thread = new Thread(forwarder);
        thread.start();
        try {
            Thread.sleep(300);
            assertThat(forwarder.status().connected()).isFalse();
            assertThat(forwarder.status().lastProblem()).contains("Connect");
            assertThat(entries.cursor).as("nothing counts as sent while the receiver is down").isEqualTo(100);

            try (Receiver receiver = new Receiver(port)) {
                awaitCount(receiver.messages, 1100);

                assertThat(receiver.messages).hasSize(1100);
                assertThat(receiver.messages.get(0)).contains("seq=\"101\"");
                assertThat(receiver.messages.get(1099)).contains("seq=\"1200\"");
                assertThat(entries.cursor).isEqualTo(1200);
                assertThat(forwarder.status()).satisfies(s -> {
                    assertThat(s.connected()).isTrue();
                    assertThat(s.forwarded()).isEqualTo(1200);
                    assertThat(s.lastProblem()).isNull();
                });
            }
            List<AuditEntry> more = chain(1201).subList(1200, 1201);
            entries.all.addAll(more);
            Thread.sleep(300);
            assertThat(entries.cursor).as("the receiver closed its connection: nothing was written into it").isEqualTo(1200);

            try (Receiver receiver = new Receiver(port)) {
                awaitCount(receiver.messages, 1);

                assertThat(receiver.messages).singleElement().satisfies(m -> assertThat(m).contains("seq=\"1201\""));
            }
        } finally {
            forwarder.stop();
            thread.interrupt();
            thread.join(2000);
        }
    }
}
