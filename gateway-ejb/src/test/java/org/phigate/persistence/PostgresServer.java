// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for the persistence tests on 127.0.0.1 and a free port, started by
 * {@code db/postgres-test-server.sh} (the script the EAR's integration tests use too) from the binaries
 * jar on the test classpath.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String SCRIPT = System.getProperty("phigate.test.postgres.script");

    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start() throws Exception {
        URL binaries = PostgresServer.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        if (binaries == null || !binaries.getProtocol().equals("jar")) {
            throw new IllegalStateException("the PostgreSQL binaries jar is not on the test classpath");
        }
        String jar = Path.of(new URL(binaries.getPath().substring(0, binaries.getPath().indexOf("!/"))).toURI()).toString();
        Path dir = Files.createTempDirectory("phigate-pg-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        run("start", jar, dir.toString(), String.valueOf(port));
        return new PostgresServer(dir, port);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "phigate";
    }

    @Override
    public void close() throws Exception {
        run("stop", dir.toString());
    }

    private static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("postgres-test-server.sh " + args[0] + " failed:\n" + output);
        }
    }
}
