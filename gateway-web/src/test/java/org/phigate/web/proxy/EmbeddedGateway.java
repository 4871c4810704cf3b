// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.route.control.RouteTable;
import org.phigate.route.control.RouteTableFeed;

/**
 * The whole data plane on an embedded Undertow with HTTP/2 (ALPN) and HTTP/1.1 on one TLS listener, as WildFly
 * serves it, with a configuration in YAML, a test journal and the test token keys: for chain tests that speak to
 * the gateway as a client would, over HTTP/2, HTTP/1.1 or a raw TLS socket.
 */
final class EmbeddedGateway implements AutoCloseable {

    final TestPki pki;
    final TestTokens tokens;
    final TestJournal journal = new TestJournal();
    private final RouteTableFeed feed = new RouteTableFeed();
    private final DataPlane plane;
    private final Undertow server;
    private final int port;

    EmbeddedGateway(TestPki pki, TestTokens tokens, String yaml) throws Exception {
        this.pki = pki;
        this.tokens = tokens;
        feed.publish(ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("test.yaml", yaml)));
        plane = new DataPlane(pki.backendTls(), new BearerTokens(TestTokens.SETTINGS, tokens.keys(), Clock.systemUTC()),
                activation -> { }, Duration.ofMinutes(60), Optional.of(journal.journal)).follow(feed);
        server = Undertow.builder().setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpsListener(0, "127.0.0.1", pki.serverTls()).setHandler(plane.handler()).build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The pools in service and their backends' states. */
    java.util.List<PoolStatus> pools() {
        return plane.pools();
    }

    int port() {
        return port;
    }

    String base() {
        return "https://127.0.0.1:" + port;
    }

    HttpClient client(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder().version(version).sslContext(pki.clientTls()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A request with a clinician's token. */
    HttpRequest.Builder request(String path) throws Exception {
        return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.clinician());
    }

    /** Sends bytes as written over TLS (HTTP/1.1) and returns what the gateway answered, up to 8 KiB or 3 s; empty if it closed. */
    String raw(String request) throws Exception {
        return raw(pki.clientTls(), port, request);
    }

    /** The same for any TLS listener on loopback: what came back until the end of a JSON body, 8 KiB or 3 s. */
    static String raw(javax.net.ssl.SSLContext tls, int port, String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[8192];
            int length = 0;
            try {
                for (int n; length < answer.length && (n = in.read(answer, length, answer.length - length)) > 0; ) {
                    length += n;
                    if (new String(answer, 0, length, StandardCharsets.ISO_8859_1).endsWith("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | javax.net.ssl.SSLException stopped) {
                // what has arrived is the answer
            }
            return new String(answer, 0, length, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException closed) {
            return "";
        }
    }

    @Override
    public void close() {
        server.stop();
        plane.stopFollowing(feed);
    }
}
