package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.daemon.ShellClient.Ended;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.Signals;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's shell client of a build daemon against a daemon in this JVM with a command runner of the test's
 * own: it relays the command's stdout, stderr and exit code, turns its SIGINT into a cancelled command, and leaves
 * the build to the launcher when no daemon answers or the daemon is busy; the daemon cancels the command of a
 * client that went away.
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

    private Path key() {
        return dir.resolve("daemons").resolve("d");
    }

    private Path socket() {
        return dir.resolve("daemons").resolve("d.sock");
    }

    private void start(DaemonServer.CommandRunner runner) throws IOException {
        daemon = RunningDaemon.start(socket(), Duration.ofMinutes(5), runner,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A daemon whose command counts {@code started} down, waits for {@code release}, prints {@code last} and succeeds. */
    private void startHeld(CountDownLatch started, CountDownLatch release, String last) throws IOException {
        start((args, out, err) -> {
            started.countDown();
            try {
                release.await();
                out.println(last);
                return 0;
            } catch (InterruptedException cancelled) {
                return 4;
            }
        });
    }

    private ProcessBuilder client(String... args) {
        return ShellClient.of(ChildEnvironment.of(dir), key(), args);
    }

    /** What a client leaves in the daemons' directory once it has ended: nothing of its own. */
    private List<String> requestFilesLeft() throws IOException {
        try (var files = Files.list(key().getParent())) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith("run-")).toList();
        }
    }

    @Test
    void theCommandsOutputAndExitCodeBecomeTheClients() throws Exception {
        start((args, out, err) -> {
            out.println("127.0.0.1:5000/hello@sha256:00 " + args);
            err.println("build 1: COMPLETE");
            return 1;
        });
        assertThat(ShellClient.run(client("build", "--component", "hello wörld", "", "two\nlines").start()))
                .isEqualTo(new Ended(1, "127.0.0.1:5000/hello@sha256:00 [build, --component, hello wörld, , two\nlines]\n",
                        "build 1: COMPLETE\n"));
        assertThat(ShellClient.run(client("build").start()).exit()).isEqualTo(1);
        assertThat(BuildDaemons.ask(socket(), DaemonWire.STATUS)).hasValueSatisfying(status -> assertThat(status)
                .contains("commands 2").contains("running no"));
        assertThat(requestFilesLeft()).isEmpty();
    }

    @Test
    void aClientThatHasHeardTheExitCodeFindsTheDaemonFreeForTheNextCommand() throws Exception {
        // `strata build && strata build`: the second must not be told the daemon is busy (it would build in a JVM of
        // its own). The daemon is made slow at its books after the command (the clock it reads then sleeps), which
        // it must do before the client hears the exit code.
        AtomicBoolean commandEnded = new AtomicBoolean();
        Clock slowAfterACommand = new Clock() {
            @Override
            public Instant instant() {
                if (commandEnded.getAndSet(false)) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        daemon = RunningDaemon.start(socket(), Duration.ofMinutes(5), (args, out, err) -> {
            out.println("daemon ran " + args);
            commandEnded.set(true);
            return 0;
        }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), slowAfterACommand);
        assertThat(ShellClient.run(client("build", "1").start())).isEqualTo(new Ended(0, "daemon ran [build, 1]\n", ""));
        assertThat(BuildDaemons.ask(socket(), DaemonWire.STATUS)).hasValueSatisfying(status -> assertThat(status)
                .contains("running no"));
        assertThat(ShellClient.run(client("build", "2").start())).isEqualTo(new Ended(0, "daemon ran [build, 2]\n", ""));
    }

    @Test
    void theDaemonsAnswersAreReadWholeHoweverCloseToTheReadsTimeoutTheyCome() throws Exception {
        // `read -t` of a whole line dropped what it had read when its time ran out as the line came: a loaded
        // machine's build said DAEMON_LOST after it had completed ("exit 0" read as "xit 0"; by hand, with this
        // test's half-millisecond wait, 35 to 60 lines of 2,000). Here every wait is that short, so the lines
        // come as waits end again and again; at the FIFO's end what came of a last line is returned with status 1.
        Path fifo = dir.resolve("answers");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        String script = """
                set -euo pipefail
                . "$1"
                _strata_daemon_wait=0.0005
                exec {fd}<>"$2"
                for i in $(seq 1 250); do
                  ( sleep 0.00$((RANDOM % 9)); printf 'exit %d\n' "$i" >&$fd ) &
                  until _strata_daemon_line "$fd"; do :; done
                  [ "$REPLY" = "exit $i" ] || { echo "line $i read as [$REPLY]"; exit 1; }
                  wait
                done
                exec {fd}>&-
                printf 'exi' > "$2" &
                exec {fd}<"$2"
                status=0; until _strata_daemon_line "$fd"; do status=$?; [ "$status" = 2 ] || break; done
                echo "all read; then status $status with [$REPLY]"
                """;
        Process shell = ChildEnvironment.of(dir).processBuilder(List.of("bash", "-c", script, "reader",
                ShellClient.LIBRARY.toString(), fifo.toString())).start();
        assertThat(ShellClient.run(shell)).isEqualTo(new Ended(0, "all read; then status 1 with [exi]\n", ""));
    }

    @Test
    void outputBeyondAPipesBufferArrivesWholeAndInOrder() throws Exception {
        start((args, out, err) -> {
            for (int i = 0; i < 50_000; i++) {
                out.print("é" + i + " ");
            }
            out.println();
            return 0;
        });
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            expected.append("é").append(i).append(' ');
        }
        Ended ended = ShellClient.run(client("build").start());
        assertThat(ended.out()).hasSizeGreaterThan(64 * 1024).isEqualTo(expected + "\n");
        assertThat(ended.exit()).isZero();
    }

    @Test
    void aStdoutNobodyReadsAnyMoreDoesNotHoldTheCommand() throws Exception {
        // `strata build | head -1`: the relay of stdout ends at its first write, the command goes on and ends.
        start((args, out, err) -> {
            for (int i = 0; i < 20_000; i++) {
                out.println("line " + i);
            }
            err.println("build 4: COMPLETE");
            return 0;
        });
        Process client = client("build").start();
        client.getInputStream().close();
        CompletableFuture<String> err = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client ended").isTrue();
        assertThat(client.exitValue()).isZero();
        assertThat(err.get(30, TimeUnit.SECONDS)).isEqualTo("build 4: COMPLETE\n");
        assertThat(BuildDaemons.ask(socket(), DaemonWire.STATUS)).hasValueSatisfying(status -> assertThat(status)
                .contains("running no"));
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
        assertThat(ShellClient.run(client)).isEqualTo(new Ended(4, "", "build 2: RUNNING\nbuild 2: CANCELLED\n"));
    }

    @Test
    void aClientThatGoesAwayHasItsCommandCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        start((args, out, err) -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                interrupted.complete(false);
            } catch (InterruptedException cancelled) {
                interrupted.complete(true);
            }
            return 4;
        });
        Process client = client("build").start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        Signals.send("KILL", client.pid());
        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
        client.waitFor(30, TimeUnit.SECONDS);
        client.getInputStream().readAllBytes(); // its relays end once the daemon has closed their FIFOs
    }

    @Test
    void withNoDaemonTheLauncherBuilds() throws Exception {
        assertThat(ShellClient.run(client("build", "--component", "c").start()))
                .isEqualTo(new Ended(7, "launcher builds: gone\n", ""));
        // What a daemon killed without its clean-up leaves: its FIFO and a pid file naming a process that is gone.
        Files.createDirectories(key().getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        new ProcessBuilder("mkfifo", key() + ".runs").start().waitFor();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(Path.of(key() + ".pid"), gone.pid() + "\n");
        assertThat(ShellClient.run(client("build").start())).isEqualTo(new Ended(7, "launcher builds: gone\n", ""));
        assertThat(requestFilesLeft()).isEmpty();
    }

    @Test
    void aDaemonThatEndsUnderItsCommandIsOneClearFailure() throws Exception {
        Files.createDirectories(key().getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        new ProcessBuilder("mkfifo", key() + ".runs").start().waitFor();
        Files.writeString(Path.of(key() + ".pid"), ProcessHandle.current().pid() + "\n");
        // A daemon that dies mid-command (killed, out of memory): it takes the request and accepts it, then every
        // file it had open closes, with no exit line.
        Thread dying = Thread.ofVirtual().start(() -> {
            try (FileChannel runs = FileChannel.open(Path.of(key() + ".runs"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                String line = new BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(runs), StandardCharsets.UTF_8)).readLine();
                RunRequest request = RunRequest.parse(line.substring("run ".length()), key().getParent()).orElseThrow();
                assertThat(request.claim()).hasValue(List.of("build", "--component", "c"));
                try (FileChannel status = request.openForWriting("status"); FileChannel out = request.openForWriting("out");
                        FileChannel err = request.openForWriting("err")) {
                    status.write(ByteBuffer.wrap("accepted\n".getBytes(StandardCharsets.UTF_8)));
                    err.write(ByteBuffer.wrap("build 3: RUNNING\n".getBytes(StandardCharsets.UTF_8)));
                }
                request.removeFiles();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Ended ended = ShellClient.run(client("build", "--component", "c").start());
        dying.join();
        assertThat(ended.exit()).as("a failure the user can act on, not a bug").isEqualTo(1);
        assertThat(ended.out()).isEmpty();
        assertThat(ended.err()).isEqualTo("build 3: RUNNING\nstrata: the build daemon of " + key()
                + ".sock ended before the command did [DAEMON_LOST]\n  fix: see its log, " + key()
                + ".log; run the command again (STRATA_DAEMON=off builds in this process)\n");
    }

    @Test
    void aBusyDaemonLeavesTheBuildToTheLauncher() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startHeld(started, release, "first done");
        Process first = client("build", "--component", "first").start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ShellClient.run(client("build", "--component", "second").start()))
                .isEqualTo(new Ended(7, "launcher builds: busy\n", ""));
        release.countDown();
        assertThat(ShellClient.run(first)).isEqualTo(new Ended(0, "first done\n", ""));
        assertThat(requestFilesLeft()).isEmpty();
    }

    @Test
    void aRetiredDaemonFinishesItsBuildAndTheNextBuildFindsNoDaemon() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startHeld(started, release, "finished");
        Process running = client("build").start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(BuildDaemons.ask(socket(), DaemonWire.RETIRE)).hasValueSatisfying(text -> assertThat(text)
                .startsWith("retiring").endsWith("once its build ends"));
        assertThat(socket()).as("gone before the answer: a new daemon may take the name at once").doesNotExist();
        assertThat(Path.of(key() + ".runs")).doesNotExist();
        assertThat(Path.of(key() + ".pid")).doesNotExist();
        assertThat(ShellClient.run(client("build").start())).isEqualTo(new Ended(7, "launcher builds: gone\n", ""));
        release.countDown();
        assertThat(ShellClient.run(running)).isEqualTo(new Ended(0, "finished\n", ""));
        daemon.awaitEnd();
    }

    @Test
    void aRequestNobodyAnswersIsWithdrawnAndLeftToTheLauncher() throws Exception {
        // A daemon that is there (its pid is this JVM's) but never reads its FIFO: after 10 s the client withdraws
        // the request, so a daemon that reads it later cannot run the command a second time.
        Files.createDirectories(key().getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        new ProcessBuilder("mkfifo", key() + ".runs").start().waitFor();
        Files.writeString(Path.of(key() + ".pid"), ProcessHandle.current().pid() + "\n");
        try (FileChannel held = FileChannel.open(Path.of(key() + ".runs"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(ShellClient.run(client("build").start())).isEqualTo(new Ended(7, "launcher builds: gone\n", ""));
            String line = new BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(held), StandardCharsets.UTF_8)).readLine();
            RunRequest late = RunRequest.parse(line.substring("run ".length()), key().getParent()).orElseThrow();
            assertThat(late.claim()).as("withdrawn").isEmpty();
        }
        assertThat(requestFilesLeft()).isEmpty();
    }
}
