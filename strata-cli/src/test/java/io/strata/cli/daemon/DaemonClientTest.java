package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.Signals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's client of a build daemon, run as the launcher runs it (a JVM of its own on the module's
 * classes), against a daemon in this JVM with a command runner of the test's own: it relays the command's
 * stdout, stderr and exit code, turns its own SIGINT into a cancelled command, and builds through the launcher
 * when no daemon answers or the daemon is busy.
 */
class DaemonClientTest {
    @TempDir
    Path dir;

    private RunningDaemon daemon;

    @AfterEach
    void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Path socket() {
        return dir.resolve("daemons").resolve("d.sock");
    }

    private void start(DaemonServer.CommandRunner runner) throws IOException {
        daemon = RunningDaemon.start(socket(), Duration.ofMinutes(5), runner,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A launcher of the test's own: says what it was asked and whether it was told to skip the daemon. */
    private Path launcher() throws IOException {
        Path script = dir.resolve("strata");
        Files.writeString(script, "#!/bin/sh\necho \"launcher: $* (STRATA_DAEMON=${STRATA_DAEMON:-})\"\nexit 7\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private ProcessBuilder client(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", Path.of("target/classes").toAbsolutePath().toString(), DaemonClient.class.getName(),
                socket().toString()));
        command.addAll(List.of(args));
        return ChildEnvironment.of(dir).with("STRATA_LAUNCHER", launcher().toString()).processBuilder(command);
    }

    record Ended(int exit, String out, String err) {}

    private static Ended run(Process process) throws Exception {
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> out.complete(read(process.getInputStream())));
        String err = read(process.getErrorStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ended(process.exitValue(), out.get(), err);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theCommandsOutputAndExitCodeBecomeTheClients() throws Exception {
        start((args, out, err) -> {
            out.println("127.0.0.1:5000/hello@sha256:00 " + args);
            err.println("build 1: COMPLETE");
            return 1;
        });
        assertThat(run(client("build", "--component", "hello wörld").start()))
                .isEqualTo(new Ended(1, "127.0.0.1:5000/hello@sha256:00 [build, --component, hello wörld]\n", "build 1: COMPLETE\n"));
    }

    @Test
    void ctrlCCancelsTheCommandInTheDaemon() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        start((args, out, err) -> {
            err.println("build 2: RUNNING");
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return 0;
            } catch (InterruptedException cancelled) {
                err.println("build 2: CANCELLED");
                return 4;
            }
        });
        Process client = client("build").start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        Signals.send("INT", client.pid());
        assertThat(run(client)).isEqualTo(new Ended(4, "", "build 2: RUNNING\nbuild 2: CANCELLED\n"));
    }

    @Test
    void withNoDaemonTheLauncherBuildsAndALeftoverSocketIsRemoved() throws Exception {
        Files.createDirectories(socket().getParent());
        try (var killed = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(socket())); // what a killed daemon leaves behind
        }
        Ended ended = run(client("build", "--component", "c").start());
        // Not told to skip the daemon: this launcher finds no socket now, builds, and starts a daemon after.
        assertThat(ended).isEqualTo(new Ended(7, "launcher: build --component c (STRATA_DAEMON=)\n", ""));
        assertThat(socket()).doesNotExist();
    }

    @Test
    void aDaemonThatEndsUnderItsCommandIsOneClearFailure() throws Exception {
        Files.createDirectories(socket().getParent());
        // A daemon that dies mid-command (killed, out of memory): it takes the command line, then its socket closes.
        try (var dying = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dying.bind(UnixDomainSocketAddress.of(socket()));
            Thread.ofVirtual().start(() -> {
                try (var client = dying.accept()) {
                    client.read(java.nio.ByteBuffer.allocate(256));
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Ended ended = run(client("build", "--component", "c").start());
            assertThat(ended.exit()).as("a failure the user can act on, not a bug").isEqualTo(1);
            assertThat(ended.out()).isEmpty();
            assertThat(ended.err()).startsWith("strata: the build daemon on ").contains("ended before the command did [DAEMON_LOST]")
                    .contains("  fix: see its log beside the socket").doesNotContain("Exception");
        }
    }

    @Test
    void aBusyDaemonSendsTheCommandToTheLauncherToldToBuildItself() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start((args, out, err) -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        Process first = client("build", "--component", "first").start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        Ended second = run(client("build", "--component", "second").start());
        assertThat(second).isEqualTo(new Ended(7, "launcher: build --component second (STRATA_DAEMON=off)\n", ""));
        release.countDown();
        assertThat(run(first).exit()).isZero();
    }
}
