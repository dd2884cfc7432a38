package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's side of the wire, with a command runner of the test's own: output and exit codes reach the
 * client, a second client meets a busy daemon, the client's Ctrl-C or its going away interrupts the command,
 * and the daemon stops when asked or idle, taking its socket with it.
 */
class DaemonServerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private RunningDaemon daemon;

    @AfterEach
    void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Path start(Duration idle, DaemonServer.CommandRunner runner) throws IOException {
        Path socket = dir.resolve("daemons").resolve("d.sock");
        daemon = RunningDaemon.start(socket, idle, runner, new PrintStream(log, true, StandardCharsets.UTF_8));
        return socket;
    }

    private static DaemonWire connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new DaemonWire(channel);
    }

    /** Every frame up to the exit: stdout, stderr and the code. */
    record Answer(String out, String err, int exit) {}

    private static Answer readAnswer(DaemonWire wire) throws IOException {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        while (true) {
            DaemonWire.Frame frame = wire.readFrame();
            switch (frame.type()) {
                case DaemonWire.OUT -> out.append(new String(frame.payload(), StandardCharsets.UTF_8));
                case DaemonWire.ERR -> err.append(new String(frame.payload(), StandardCharsets.UTF_8));
                case DaemonWire.EXIT -> { return new Answer(out.toString(), err.toString(), frame.exitCode()); }
                case DaemonWire.BUSY -> { return new Answer(out.toString(), err.toString(), -1); }
                default -> throw new AssertionError("unexpected frame " + frame.type());
            }
        }
    }

    @Test
    void aCommandsOutputAndExitCodeReachItsClient() throws Exception {
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            out.println("pullspec for " + String.join(" ", args));
            err.println("Löst: one step");
            return args.contains("--fail") ? 1 : 0;
        });
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (DaemonWire wire = connect(socket)) {
            wire.writeRequest(DaemonWire.RUN, List.of("build", "--component", "c"));
            assertThat(readAnswer(wire)).isEqualTo(new Answer("pullspec for build --component c\n", "Löst: one step\n", 0));
        }
        try (DaemonWire wire = connect(socket)) {
            wire.writeRequest(DaemonWire.RUN, List.of("build", "--fail"));
            assertThat(readAnswer(wire).exit()).isEqualTo(1);
        }
        assertThat(BuildDaemons.ask(socket, DaemonWire.STATUS)).hasValueSatisfying(status -> assertThat(status)
                .contains("pid " + ProcessHandle.current().pid()).contains("commands 2").contains("running no"));
    }

    @Test
    void aSecondClientMeetsABusyDaemonAndTheFirstClientsCtrlCInterruptsItsCommand() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return 0;
            } catch (InterruptedException cancelled) {
                err.println("cancelled");
                return 4;
            }
        });
        try (DaemonWire first = connect(socket)) {
            first.writeRequest(DaemonWire.RUN, List.of("build"));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            try (DaemonWire second = connect(socket)) {
                second.writeRequest(DaemonWire.RUN, List.of("build"));
                assertThat(readAnswer(second).exit()).as("busy").isEqualTo(-1);
            }
            first.writeFully(ByteBuffer.wrap(new byte[] {DaemonWire.CANCEL}));
            assertThat(readAnswer(first)).isEqualTo(new Answer("", "cancelled\n", 4));
        }
    }

    @Test
    void aClientThatGoesAwayCancelsItsCommand() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                interrupted.complete(false);
            } catch (InterruptedException cancelled) {
                interrupted.complete(true);
            }
            return 4;
        });
        DaemonWire wire = connect(socket);
        wire.writeRequest(DaemonWire.RUN, List.of("build"));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        wire.channel().close();
        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopRemovesTheSocketAndEndsTheServe() throws Exception {
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> 0);
        assertThat(BuildDaemons.ask(socket, DaemonWire.STOP)).hasValueSatisfying(text -> assertThat(text).startsWith("stopping"));
        assertThat(socket).as("gone before the answer").doesNotExist();
        daemon.awaitEnd();
        assertThat(BuildDaemons.answers(socket)).isFalse();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("stopped after 0 command(s)");
    }

    @Test
    void aRetiredDaemonTakesNoNewCommandButFinishesItsBuild() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            started.countDown();
            try {
                release.await();
                out.println("finished");
                return 0;
            } catch (InterruptedException cancelled) {
                return 4;
            }
        });
        try (DaemonWire running = connect(socket)) {
            running.writeRequest(DaemonWire.RUN, List.of("build"));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(BuildDaemons.ask(socket, DaemonWire.RETIRE)).hasValueSatisfying(text -> assertThat(text)
                    .startsWith("retiring").endsWith("once its build ends"));
            assertThat(socket).as("gone before the answer: a new daemon may take the name at once").doesNotExist();
            release.countDown();
            assertThat(readAnswer(running)).isEqualTo(new Answer("finished\n", "", 0));
        }
        daemon.awaitEnd();
    }

    @Test
    void anIdleDaemonStopsByItself() throws Exception {
        Path socket = start(Duration.ofMillis(300), (args, out, err) -> 0);
        try (DaemonWire wire = connect(socket)) {
            wire.writeRequest(DaemonWire.RUN, List.of("build"));
            assertThat(readAnswer(wire).exit()).isZero();
        }
        daemon.awaitEnd();
        assertThat(socket).doesNotExist();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("idle for PT0.3S, stopping").contains("stopped after 1 command(s)");
    }

    @Test
    void aKilledDaemonsSocketIsTakenOverAndALiveOnesIsLeftAlone() throws Exception {
        Path socket = dir.resolve("daemons").resolve("d.sock");
        Files.createDirectories(socket.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // What a killed daemon leaves: a socket file nobody listens on.
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        start(Duration.ofMinutes(5), (args, out, err) -> 0);
        assertThat(BuildDaemons.answers(socket)).isTrue();
        DaemonServer second = new DaemonServer(socket, Duration.ofMinutes(5), (args, out, err) -> 0,
                new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(second.bind()).as("a live daemon answers there").isFalse();
        assertThat(BuildDaemons.answers(socket)).isTrue();
    }

    @Test
    void aSocketDirectoryOthersCanReachIsRefused() throws Exception {
        Path open = Files.createDirectories(dir.resolve("open/daemons"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> BuildDaemons.requirePrivateDirectory(open))
                .hasMessageContaining("is not this user's alone").hasMessageContaining("chmod 700");
    }

    @Test
    void aClientOfAnotherProtocolIsRefused() throws Exception {
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> 0);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            // Closed without an answer: an end of stream, or a reset when the daemon closed with the rest unread.
            int read;
            try {
                read = channel.read(ByteBuffer.allocate(16));
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).as("closed without an answer").isEqualTo(-1);
        }
        assertThat(BuildDaemons.answers(socket)).as("still serving").isTrue();
    }

    @Test
    void theDaemonsOutputStreamsKeepUtf8WholeAcrossFrames() throws Exception {
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            for (int i = 0; i < 2000; i++) {
                out.print("é");
            }
            out.println();
            return 0;
        });
        try (DaemonWire wire = connect(socket)) {
            wire.writeRequest(DaemonWire.RUN, List.of());
            assertThat(readAnswer(wire).out()).isEqualTo("é".repeat(2000) + "\n");
        }
    }
}
