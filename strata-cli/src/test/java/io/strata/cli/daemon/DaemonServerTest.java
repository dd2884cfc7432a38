package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.testkit.ChildEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon itself, with a command runner of the test's own: its files (socket, request FIFO, pid) private
 * and removed when it stops, asked or idle; requests it cannot take run nothing; a killed daemon's socket taken
 * over, a live one's left alone. The commands' side is DaemonClientTest's, through the launcher's shell client.
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
    void aStoppedDaemonEndsOnlyOnceItHasAnsweredTheConnectionsItTook() throws Exception {
        // The JVM of `strata daemon run` ends as soon as serve returns: an answer still unwritten then is lost (the
        // stop command once said no daemon was running, BuildDaemonIT). A connection taken before the stop, whose
        // request is not even complete, is answered first.
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> 0);
        try (SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            slow.connect(UnixDomainSocketAddress.of(socket));
            slow.write(ByteBuffer.allocate(4).putInt(DaemonWire.MAGIC).flip());
            io.strata.testkit.Eventually.until("the daemon took the connection", () -> daemon.server().answering() == 1);
            assertThat(BuildDaemons.ask(socket, DaemonWire.STOP)).hasValueSatisfying(text -> assertThat(text).startsWith("stopping"));
            assertThatThrownBy(() -> daemon.awaitEnd(Duration.ofMillis(500))).as("still answering the connection it took")
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            slow.write(ByteBuffer.allocate(1 + 4).put(DaemonWire.STATUS).putInt(0).flip());
            DaemonWire wire = new DaemonWire(slow);
            assertThat(new String(wire.readFrame().payload(), StandardCharsets.UTF_8)).contains("pid " + ProcessHandle.current().pid());
            daemon.awaitEnd();
        }
    }

    @Test
    void aRequestReadOnceTheDaemonIsEndingIsLeftUnclaimedForItsClient() throws Exception {
        // An ending daemon (asked to stop, still answering a connection it took) starts nothing more: a request it
        // reads now stays unclaimed, so its client withdraws it and builds by itself. Claimed, it could be left
        // unanswered by the ending JVM, and the client would report DAEMON_LOST for a command that never ran.
        CountDownLatch ran = new CountDownLatch(1);
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            ran.countDown();
            return 0;
        });
        Path base = socket.resolveSibling("run-" + ProcessHandle.current().pid() + "-7");
        Path arguments = Path.of(base + ".args");
        try (FileChannel runs = FileChannel.open(Path.of(key(socket) + ".runs"), StandardOpenOption.WRITE);
                SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            slow.connect(UnixDomainSocketAddress.of(socket));
            slow.write(ByteBuffer.allocate(4).putInt(DaemonWire.MAGIC).flip());
            io.strata.testkit.Eventually.until("the daemon took the connection", () -> daemon.server().answering() == 1);
            assertThat(BuildDaemons.ask(socket, DaemonWire.STOP)).hasValueSatisfying(text -> assertThat(text).startsWith("stopping"));
            io.strata.testkit.Eventually.until("the daemon waits for its last answers", () -> daemon.server().endingAnswers());
            Files.writeString(arguments, "build\0");
            // The line after the request is logged once read: by then the request was read too.
            runs.write(ByteBuffer.wrap(("run " + base + "\nhello\n").getBytes(StandardCharsets.UTF_8)));
            io.strata.testkit.Eventually.until("the daemon read the request",
                    () -> log.toString(StandardCharsets.UTF_8).contains("a request it does not know: hello"));
            slow.write(ByteBuffer.allocate(1 + 4).put(DaemonWire.STATUS).putInt(0).flip());
            new DaemonWire(slow).readFrame();
            daemon.awaitEnd();
        }
        assertThat(arguments).as("left for its client to withdraw").exists();
        assertThat(ran.getCount()).as("no command ran").isEqualTo(1);
    }

    @Test
    void anIdleDaemonStopsByItself() throws Exception {
        Path socket = start(Duration.ofMillis(500), (args, out, err) -> 0);
        assertThat(ShellClient.run(ShellClient.of(ChildEnvironment.of(dir), key(socket), "build").start()).exit()).isZero();
        daemon.awaitEnd();
        assertThat(socket).doesNotExist();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("idle for PT0.5S, stopping").contains("stopped after 1 command(s)");
    }

    @Test
    void theDaemonsFilesAreMadePrivateAndRemovedWhenItStops() throws Exception {
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> 0);
        Path runs = Path.of(key(socket) + ".runs");
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat((Object) Files.getAttribute(runs, "unix:mode")).as("a FIFO of its user's").isEqualTo(0010600);
        assertThat(Files.readString(Path.of(key(socket) + ".pid"))).isEqualTo(ProcessHandle.current().pid() + "\n");
        daemon.close();
        daemon = null;
        assertThat(socket).doesNotExist();
        assertThat(runs).doesNotExist();
        assertThat(Path.of(key(socket) + ".pid")).doesNotExist();
    }

    @Test
    void requestsItCannotTakeRunNothingAndAbandonedOnesAreSweptAtStart() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("daemons"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // A client that died before its request was read left its files; a live one's are kept.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path abandoned = Files.writeString(directory.resolve("run-" + gone.pid() + "-1.args"), "build\0");
        Path live = Files.writeString(directory.resolve("run-" + ProcessHandle.current().pid() + "-2.args"), "build\0");
        CountDownLatch ran = new CountDownLatch(1);
        Path socket = start(Duration.ofMinutes(5), (args, out, err) -> {
            ran.countDown();
            return 0;
        });
        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
        Files.delete(live);
        try (FileChannel runs = FileChannel.open(Path.of(key(socket) + ".runs"), StandardOpenOption.WRITE)) {
            for (String line : List.of("run " + directory.resolve("run-1-1"), // withdrawn: no arguments' file
                    "run " + dir.resolve("run-1-2"), "run relative/run-1-3", "run " + directory.resolve("other-1-4"), "run \0", "hello")) {
                Files.writeString(directory.resolve("run-1-2.args"), "build\0");
                runs.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(ran.await(1, TimeUnit.SECONDS)).as("no command ran").isFalse();
        assertThat(BuildDaemons.ask(socket, DaemonWire.STATUS)).hasValueSatisfying(status -> assertThat(status).contains("commands 0"));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("a request it does not know: hello");
    }

    private static Path key(Path socket) {
        return socket.resolveSibling(socket.getFileName().toString().replaceFirst("\\.sock$", ""));
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
    void onlyASocketNobodyListensOnIsRemovedAsStale() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("daemons"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path stale = directory.resolve("stale.sock");
        try (var killed = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(stale));
        }
        BuildDaemons.removeIfStale(stale);
        assertThat(stale).doesNotExist();
        // A daemon that takes connections but failed one exchange (status asked while it was busy starting) keeps its
        // socket: `strata daemon status` and `stop` used to remove a socket after any failed exchange, a live one too.
        Path live = directory.resolve("live.sock");
        try (var listening = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(live));
            BuildDaemons.removeIfStale(live);
            assertThat(live).exists();
        }
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

}
