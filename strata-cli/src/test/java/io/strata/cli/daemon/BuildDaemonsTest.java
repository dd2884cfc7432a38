package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a local build does about the daemon as it ends: nothing while a daemon of this jar answers; a daemon of an
 * older jar is retired and a new one started through the launcher, in a session of its own.
 */
class BuildDaemonsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** A launcher of the test's own that writes down what it was asked to run. */
    private Path launcher() throws Exception {
        Path script = dir.resolve("strata");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > '" + dir.resolve("started.txt") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Path jar(Instant modified) throws Exception {
        Path jar = dir.resolve("strata-cli.jar");
        Files.writeString(jar, "not a jar");
        Files.setLastModifiedTime(jar, FileTime.from(modified));
        return jar;
    }

    /** A daemon of this jar on {@code socket}, whose commands do nothing, logging to {@link #log}. */
    private RunningDaemon startIdleDaemon(Path socket) throws Exception {
        return RunningDaemon.start(socket, Duration.ofMinutes(5), (args, out, err) -> 0,
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void aDaemonOfThisJarIsLeftAlone() throws Exception {
        Path socket = dir.resolve("daemons/d.sock");
        try (RunningDaemon daemon = startIdleDaemon(socket)) {
            assertThat(BuildDaemons.startForNextBuild(socket, launcher(), jar(Instant.now().minusSeconds(3600)))).isEmpty();
            assertThat(BuildDaemons.answers(socket)).isTrue();
            assertThat(dir.resolve("started.txt")).doesNotExist();
        }
    }

    @Test
    void aDaemonOfAnOlderJarIsRetiredAndANewOneStarted() throws Exception {
        Path socket = dir.resolve("daemons/d.sock");
        try (RunningDaemon daemon = startIdleDaemon(socket)) {
            assertThat(BuildDaemons.startForNextBuild(socket, launcher(), jar(Instant.now().plusSeconds(60)))).isEmpty();
            daemon.awaitEnd(); // retired: it had no build to finish
            Path started = dir.resolve("started.txt");
            Eventually.until("the launcher was asked for a new daemon", () -> Files.exists(started));
            Eventually.until("the launcher wrote what it was asked", () -> {
                try {
                    return Files.readString(started).equals("daemon run --socket " + socket + "\n");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("stopped after 0 command(s)");
        }
    }

    @Test
    void aDaemonTooOldToRetireLosesItsSocketsNameToTheNewOne() throws Exception {
        Path socket = dir.resolve("daemons/d.sock");
        java.nio.file.Files.createDirectories(socket.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // A daemon of an earlier version: it answers every connection and ignores what it does not know.
        try (var old = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            old.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (var client = old.accept()) {
                        client.read(java.nio.ByteBuffer.allocate(64));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            assertThat(BuildDaemons.startForNextBuild(socket, launcher(), jar(Instant.now().plusSeconds(60)))).isEmpty();
            assertThat(socket).as("the name is free for the new daemon").doesNotExist();
            Eventually.until("the launcher was asked for a new daemon", () -> Files.exists(dir.resolve("started.txt")));
        }
    }

    @Test
    void withNoDaemonOneIsStartedInASessionOfItsOwnLoggingBesideItsSocket() throws Exception {
        Path socket = dir.resolve("daemons/d.sock");
        assertThat(BuildDaemons.startForNextBuild(socket, launcher(), jar(Instant.now()))).isEmpty();
        Eventually.until("the launcher was asked for a new daemon", () -> Files.exists(dir.resolve("started.txt")));
        assertThat(dir.resolve("daemons/d.log")).exists();
        assertThat(Files.getPosixFilePermissions(dir.resolve("daemons"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
}
