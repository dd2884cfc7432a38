package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.CliRunner;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildahFixture;
import io.strata.cli.daemon.ShellClient;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.Eventually;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.ProcessTable;
import io.strata.testkit.RegistryFixture;
import io.strata.testkit.Signals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build daemon end to end, with buildah, a registry and git for real: a local build the launcher ran
 * starts a daemon for the builds after it; the next build, handed to it by the launcher's client, builds and
 * pushes with the same output and record; Ctrl-C in the client cancels the daemon's build as it would a build
 * in a process of its own (exit code 4, the record CANCELLED, buildah's RUN stopped); {@code strata daemon stop}
 * ends the daemon and removes its socket.
 */
class BuildDaemonIT {
    /** An unusual duration, so the test can tell its own sleep apart from anything else on the machine. */
    static final String MARKER_SLEEP = "sleep 4177";

    @TempDir
    Path home;

    @Test
    void aLocalBuildStartsADaemonThatBuildsTheNextOnesAndCtrlCCancelsThere() throws Exception {
        Path socket = home.resolve(".cache/strata/daemons/it.sock");
        Optional<ProcessHandle> daemon = Optional.empty();
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            repo.write("Dockerfile", "FROM " + registry.reference("base/busybox:1") + "\n"
                    + "LABEL name=daemon/hello version=1\nARG NONCE\nRUN echo \"$NONCE\" > /nonce\n");
            String quick = repo.commit("quick");
            Path config = home.resolve("osbs.conf");
            Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\nstrata_home = "
                    + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");
            // The launcher, as far as a daemon needs one: it starts the packaged command line.
            Path launcher = home.resolve("strata-launcher");
            Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -jar '"
                    + Path.of("target/strata-cli.jar").toAbsolutePath() + "' \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
            ChildEnvironment environment = ChildEnvironment.of(home).with("STRATA_LAUNCHER", launcher.toString());

            // 1. A local build, as the launcher runs it when no daemon answers: it builds, then starts one.
            ProcessBuilder local = PackagedCli.builder(environment, "build", "--config", config.toString(),
                    "--component", "hello", "--git-uri", repo.uri().toString(), "--git-ref", quick, "--build-arg", "NONCE=1");
            local.command().add(1, "-Dstrata.daemon.socket=" + socket);
            TestCli.Run first = run(local);
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains(registry.host() + "/");
            Eventually.until("the daemon the build started answers on " + socket, () -> daemonStatus(environment).contains("commands 0"));
            daemon = pid(daemonStatus(environment)).flatMap(ProcessHandle::of);
            assertThat(daemon).isPresent();

            // 2. The next build goes to the daemon: the same output, a record like any other.
            TestCli.Run second = run(client(environment, socket, "build", "--config", config.toString(),
                    "--component", "hello", "--git-uri", repo.uri().toString(), "--git-ref", quick, "--build-arg", "NONCE=2"));
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.out().strip()).startsWith(registry.host() + "/").isNotEqualTo(first.out().strip());
            assertThat(second.err()).contains("[buildah_build] succeeded").contains(": COMPLETE");
            assertThat(daemonStatus(environment)).contains("commands 1").contains("running no");
            TestCli.Run listed = PackagedCli.run(environment, "list-builds", "--config", config.toString());
            assertThat(listed.out().lines().filter(line -> line.contains("COMPLETE")).count()).isEqualTo(2);

            // 3. Ctrl-C in the client cancels the daemon's build, as it would a build in a process of its own.
            repo.write("Dockerfile", "FROM " + registry.reference("base/busybox:1") + "\n"
                    + "LABEL name=daemon/slow version=1\nRUN " + MARKER_SLEEP + "\n");
            String slow = repo.commit("slow");
            Process cancelled = client(environment, socket, "build", "--config", config.toString(), "--component", "slow",
                    "--git-uri", repo.uri().toString(), "--git-ref", slow, "--follow")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            StderrLines stderr = StderrLines.follow(cancelled, "RUN " + MARKER_SLEEP);
            stderr.seen().get(120, TimeUnit.SECONDS);
            Eventually.until("buildah runs the slow step, or the build ended", () -> !sleepsLeft().isEmpty() || !cancelled.isAlive());
            assertThat(cancelled.isAlive()).as(stderr.toString()).isTrue();
            Signals.send("INT", cancelled.pid());
            assertThat(cancelled.waitFor(90, TimeUnit.SECONDS)).as(stderr.toString()).isTrue();
            assertThat(cancelled.exitValue()).as(stderr.toString()).isEqualTo(CliRunner.EXIT_CANCELLED);
            assertThat(stderr.lines()).anyMatch(line -> line.contains("CANCELLED"));
            assertThat(sleepsLeft()).isEmpty();
            assertThat(PackagedCli.run(environment, "list-builds", "--config", config.toString()).out())
                    .contains("slow").contains("CANCELLED");
            assertThat(daemon.get().isAlive()).as("the daemon outlives a cancelled build; " + daemonLog(socket)).isTrue();
            assertThat(socket).as("the daemon still listens; " + daemonLog(socket)).exists();

            // 4. `strata daemon stop` ends it.
            TestCli.Run stopped = PackagedCli.run(environment, "daemon", "stop");
            assertThat(stopped.out()).as(daemonLog(socket)).contains("stopping the build daemon " + daemon.get().pid());
            assertThat(daemon.get().isAlive()).isFalse();
            assertThat(socket).doesNotExist();
            assertThat(PackagedCli.run(environment, "daemon", "status").out()).contains("no build daemon is running");
        } finally {
            // Only what this test started: the daemon its build started, found by its socket.
            stop(daemon);
        }
    }

    @Test
    void sigtermEndsADaemonAndTakesItsSocketWithIt() throws Exception {
        Path socket = home.resolve(".cache/strata/daemons/term.sock");
        ChildEnvironment environment = ChildEnvironment.of(home);
        Process daemon = PackagedCli.builder(environment, "daemon", "run", "--socket", socket.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("daemon.log").toFile()).start();
        try {
            Eventually.until("the daemon answers on " + socket, () -> daemonStatus(environment).contains("commands 0"));
            Signals.send("TERM", daemon.pid());
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(home.resolve("daemon.log"))).isTrue();
            assertThat(daemon.exitValue()).isZero();
            assertThat(socket).doesNotExist();
            assertThat(Files.readString(home.resolve("daemon.log"))).contains("stopped after 0 command(s)");
        } finally {
            stop(Optional.of(daemon.toHandle()));
        }
    }

    /** Ends a daemon this test started: SIGTERM (which cancels a build it runs), then SIGKILL if it lingers. */
    private static void stop(Optional<ProcessHandle> daemon) throws Exception {
        if (daemon.isPresent() && daemon.get().isAlive()) {
            daemon.get().destroy();
            try {
                daemon.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException lingering) {
                daemon.get().destroyForcibly();
            }
        }
    }

    /** The launcher's client of the daemon on {@code socket}, as the launcher runs it. */
    private static ProcessBuilder client(ChildEnvironment environment, Path socket, String... args) {
        return ShellClient.of(environment, socket.resolveSibling(socket.getFileName().toString().replaceFirst("\\.sock$", "")), args);
    }

    private static TestCli.Run run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                out.completeExceptionally(e);
            }
        });
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new TestCli.Run(process.exitValue(), out.get(), err);
    }

    /** What the daemon on {@code socket} logged (its start and end, what went wrong), for a failure's message. */
    private static String daemonLog(Path socket) {
        Path log = io.strata.cli.daemon.BuildDaemons.logOf(socket);
        try {
            return "the daemon's log:\n" + (Files.exists(log) ? Files.readString(log) : "(none)");
        } catch (java.io.IOException e) {
            return "the daemon's log could not be read: " + e.getMessage();
        }
    }

    private static String daemonStatus(ChildEnvironment environment) {
        try {
            return PackagedCli.run(environment, "daemon", "status").out();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Long> pid(String status) {
        return status.lines().filter(line -> line.startsWith("pid ")).findFirst().map(line -> Long.parseLong(line.substring(4)));
    }

    private static List<Long> sleepsLeft() {
        return ProcessTable.commandLinesContaining(MARKER_SLEEP, "buildah");
    }
}
