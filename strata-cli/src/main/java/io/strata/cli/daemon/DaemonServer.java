package io.strata.cli.daemon;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A build daemon: a JVM that stays up between a user's builds and runs each command line a
 * {@link DaemonClient} hands it, on the client's terms: the client's environment and working directory are
 * the daemon's own (they are part of the socket's name, {@link BuildDaemons}), the command's stdout and
 * stderr go back over the socket, the client's Ctrl-C interrupts the command as the signal would in a
 * process of its own, and the command's exit code becomes the client's.
 * <p>One command at a time: a second client is told the daemon is busy and builds in a process of its own
 * (two builds in one JVM would share what one process holds alone, the git cache's and the store's file
 * locks among them). After {@code idleTimeout} without a command, or when asked to stop, the daemon removes
 * its socket and returns.
 */
public final class DaemonServer {
    /** Runs one command line; what {@code strata} would do with it in a process of its own. */
    @FunctionalInterface
    public interface CommandRunner {
        int run(List<String> args, PrintWriter out, PrintWriter err);
    }

    private final Path socket;
    private final Duration idleTimeout;
    private final CommandRunner runner;
    private final PrintStream log;
    private final Clock clock;
    private final Instant started;
    private final Semaphore oneCommand = new Semaphore(1);
    private final AtomicInteger commands = new AtomicInteger();
    private final AtomicReference<Instant> lastActive;
    private final AtomicReference<Thread> running = new AtomicReference<>();
    private volatile boolean stopping;
    private ServerSocketChannel server;
    private Object socketKey;

    public DaemonServer(Path socket, Duration idleTimeout, CommandRunner runner, PrintStream log, Clock clock) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
        this.lastActive = new AtomicReference<>(started);
    }

    /**
     * Binds the socket. False when another daemon already answers on it (two builds that ended at once both
     * started one): this one has nothing to do.
     */
    public boolean bind() throws IOException {
        BuildDaemons.requirePrivateDirectory(socket.getParent());
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                return false;
            } catch (IOException nobodyThere) {
                Files.deleteIfExists(socket); // left by a daemon that was killed
            }
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException taken) {
            server.close();
            return false; // another daemon bound it between the look and the bind
        }
        socketKey = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
        return true;
    }

    /** Serves clients until idle for {@code idleTimeout} or asked to stop, then removes the socket. */
    public void serve() throws IOException {
        Thread idleWatch = Thread.ofVirtual().name("strata-daemon-idle").start(this::watchIdle);
        log.println("strata daemon: serving on " + socket + " (pid " + ProcessHandle.current().pid() + ", idle timeout "
                + idleTimeout + ")");
        try {
            while (!stopping) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (ClosedChannelException closed) {
                    break;
                }
                Thread.ofVirtual().name("strata-daemon-client").start(() -> answer(client));
            }
        } finally {
            stopAccepting();
            idleWatch.interrupt();
            // A command still running ends before the JVM does: cancelled when stopped, to its end when retired.
            try {
                oneCommand.acquire();
                oneCommand.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.println("strata daemon: stopped after " + commands.get() + " command(s)");
        }
    }

    /** Stops accepting (the socket is removed while it is still this daemon's) and cancels a running command. */
    public void stop() {
        stopAccepting();
        Thread command = running.get();
        if (command != null) {
            command.interrupt();
        }
    }

    /** Stops accepting; a running command goes on to its end, after which {@link #serve} returns. */
    void stopAccepting() {
        stopping = true;
        try {
            if (socketKey != null && Files.exists(socket)
                    && socketKey.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey())) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            log.println("strata daemon: could not remove " + socket + ": " + e.getMessage());
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    private void watchIdle() {
        try {
            while (!stopping) {
                Instant due = lastActive.get().plus(idleTimeout);
                Duration left = Duration.between(clock.instant(), due);
                if (left.isNegative() || left.isZero()) {
                    if (oneCommand.tryAcquire()) {
                        try {
                            if (!clock.instant().isBefore(lastActive.get().plus(idleTimeout))) {
                                log.println("strata daemon: idle for " + idleTimeout + ", stopping");
                                stop();
                                return;
                            }
                        } finally {
                            oneCommand.release();
                        }
                    }
                    left = Duration.ofSeconds(1);
                }
                Thread.sleep(Math.max(10, Math.min(left.toMillis(), 60_000)));
            }
        } catch (InterruptedException stopped) {
            // the daemon is stopping
        }
    }

    private void answer(SocketChannel client) {
        try (client) {
            DaemonWire wire = new DaemonWire(client);
            DaemonWire.Request request = wire.readRequest();
            switch (request.kind()) {
                case DaemonWire.RUN -> run(wire, request.args());
                case DaemonWire.STATUS -> wire.writeText(status());
                // The socket is gone before the answer: whoever asked may start another daemon on it at once.
                case DaemonWire.STOP -> {
                    stop();
                    wire.writeText("stopping the build daemon " + ProcessHandle.current().pid() + " on " + socket);
                }
                case DaemonWire.RETIRE -> {
                    stopAccepting();
                    wire.writeText("retiring the build daemon " + ProcessHandle.current().pid() + " on " + socket
                            + (running.get() != null ? " once its build ends" : ""));
                }
                default -> wire.writeText("unknown request " + request.kind());
            }
        } catch (IOException e) {
            log.println("strata daemon: a client's connection failed: " + e.getMessage());
        }
    }

    private void run(DaemonWire wire, List<String> args) throws IOException {
        if (stopping || !oneCommand.tryAcquire()) {
            wire.writeFrame(DaemonWire.BUSY, new byte[0], 0, 0);
            return;
        }
        Thread command = Thread.currentThread();
        Object cancelLock = new Object();
        boolean[] ended = {false};
        try {
            running.set(command);
            commands.incrementAndGet();
            lastActive.set(clock.instant());
            // The client's Ctrl-C, or its end, interrupts the command as the signal would in a process of its own.
            Thread watcher = Thread.ofVirtual().name("strata-daemon-cancel").start(() -> {
                try {
                    wire.readSignal();
                } catch (IOException closed) {
                    // the client went away: cancel as well
                }
                synchronized (cancelLock) {
                    if (!ended[0]) {
                        command.interrupt();
                    }
                }
            });
            try (DaemonOutbox outbox = new DaemonOutbox(wire)) {
                PrintWriter out = new PrintWriter(new OutputStreamWriter(outbox.stream(DaemonWire.OUT), StandardCharsets.UTF_8), true);
                PrintWriter err = new PrintWriter(new OutputStreamWriter(outbox.stream(DaemonWire.ERR), StandardCharsets.UTF_8), true);
                int exit;
                try {
                    exit = runner.run(args, out, err);
                } catch (RuntimeException bug) {
                    // A runner reports its own failures (RunDaemonCommand's: CliRunner.report); this keeps the daemon
                    // up and the client answered if one does not. Its message may quote a URL: no credentials in it.
                    String what = io.strata.core.io.UrlCredentials.redact(String.valueOf(bug));
                    err.println("strata: internal error in the build daemon: " + what + " [INTERNAL_ERROR]");
                    err.println("  fix: this is a bug in Strata; STRATA_DAEMON=off runs the command in a process of its own");
                    log.println("strata daemon: " + what);
                    exit = 3;
                }
                synchronized (cancelLock) {
                    ended[0] = true;
                }
                out.flush();
                err.flush();
                outbox.add(DaemonWire.EXIT, java.nio.ByteBuffer.allocate(4).putInt(exit).array());
            }
            Thread.interrupted(); // a cancel that came as the command ended must not outlive it
            watcher.interrupt();
        } finally {
            running.set(null);
            lastActive.set(clock.instant());
            Thread.interrupted();
            oneCommand.release();
        }
    }

    private String status() {
        Instant now = clock.instant();
        return "pid " + ProcessHandle.current().pid() + "\n"
                + "socket " + socket + "\n"
                + "directory " + Path.of("").toAbsolutePath() + "\n"
                + "up " + Duration.between(started, now).toSeconds() + " s\n"
                + "commands " + commands.get() + "\n"
                + "running " + (running.get() != null ? "yes" : "no") + "\n"
                + "idle " + (running.get() != null ? 0 : Duration.between(lastActive.get(), now).toSeconds()) + " s of "
                + idleTimeout.toSeconds() + " s\n";
    }
}
