package io.strata.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server on a free loopback port: its own data directory (made by initdb),
 * its own socket directory, trust authentication, one database. initdb refuses to run as root, so
 * the server's files belong to the "postgres" account and its programs run through
 * {@code runuser -u postgres}.
 */
public final class PostgresFixture implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String USER = "strata";
    private static final String DATABASE = "strata_test";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 3;

    private final Path directory;
    private final int port;
    private final String password;
    private final Process server;

    private PostgresFixture(Path directory, int port, String password, Process server) {
        this.directory = directory;
        this.port = port;
        this.password = password;
        this.server = server;
    }

    public static PostgresFixture start() {
        Path directory = TempDirs.create("postgres");
        try {
            Path data = directory.resolve("data");
            Files.createDirectories(data);
            Files.createDirectories(directory.resolve("socket"));
            // The temp dir is private to root; postgres must be able to reach its data and socket dirs.
            Exec.of(List.of("chown", "-R", "postgres:postgres", directory.toString())).run();
            asPostgres(BIN.resolve("initdb").toString(), "--pgdata=" + data, "--username=" + USER,
                    "--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C");
            FixtureException last = null;
            for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
                int port = FreePorts.loopback();
                Process server = launch(directory, port);
                try {
                    awaitReady(server, port, directory);
                    String password = "pw-" + UUID.randomUUID();
                    psql(port, "postgres", "CREATE DATABASE " + DATABASE);
                    // Trust auth ignores it, but tests that use password-based clients still get a real one.
                    psql(port, "postgres", "ALTER ROLE " + USER + " PASSWORD '" + password + "'");
                    return new PostgresFixture(directory, port, password, server);
                } catch (FixtureException e) {
                    last = e; // most likely the port was taken between choosing and binding it
                    stopServer(server, directory);
                }
            }
            throw last;
        } catch (IOException e) {
            TempDirs.deleteRecursively(directory);
            throw new FixtureException("cannot prepare " + directory, e);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(directory);
            throw e;
        }
    }

    private static Process launch(Path directory, int port) {
        try {
            return new ProcessBuilder("runuser", "-u", "postgres", "--", BIN.resolve("postgres").toString(),
                    "-D", directory.resolve("data").toString(),
                    "-k", directory.resolve("socket").toString(),
                    "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off") // test data need not survive a power cut
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("server-" + port + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new FixtureException("cannot start PostgreSQL from " + BIN
                    + " (install it with 'apt-get install postgresql')", e);
        }
    }

    private static void awaitReady(Process server, int port, Path directory) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new FixtureException("PostgreSQL exited with " + server.exitValue() + ": "
                        + log(directory, port));
            }
            try {
                Exec.of(List.of(BIN.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1",
                        "-p", Integer.toString(port), "-U", USER)).run();
                return;
            } catch (FixtureException notReady) {
                sleep();
            }
        }
        throw new FixtureException("PostgreSQL not ready on port " + port + " within " + STARTUP_TIMEOUT
                + ": " + log(directory, port));
    }

    private static void psql(int port, String database, String sql) {
        Exec.of(List.of(BIN.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database, "-c", sql)).run();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return DATABASE;
    }

    /** The server's data directory (removed by {@link #stop()}). */
    public Path dataDirectory() {
        return directory.resolve("data");
    }

    /** Stops the server (fast shutdown: open sessions are ended) and deletes its data directory. */
    public void stop() {
        stopServer(server, directory);
        TempDirs.deleteRecursively(directory);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Asks our own postmaster for a fast shutdown via pg_ctl (a plain SIGTERM would wait for every
     * pooled connection to go away), then makes sure the runuser parent and its child are gone.
     */
    private static void stopServer(Process server, Path directory) {
        if (server.isAlive()) {
            try {
                asPostgres(BIN.resolve("pg_ctl").toString(), "stop", "--pgdata=" + directory.resolve("data"),
                        "--mode=fast", "--wait", "--timeout=30");
            } catch (FixtureException alreadyStopping) {
                // fall through to killing our own processes
            }
        }
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String asPostgres(String... command) {
        List<String> line = new java.util.ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        line.addAll(List.of(command));
        return Exec.of(line).run();
    }

    private static String log(Path directory, int port) {
        try {
            return Files.readString(directory.resolve("server-" + port + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FixtureException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
