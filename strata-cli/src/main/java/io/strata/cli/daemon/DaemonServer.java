package io.strata.cli.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A build daemon: a JVM that stays up between a user's builds and runs each command line the launcher's shell
 * client hands it (scripts/lib/build-daemon.sh, {@link RunRequest}), on the client's terms: the client's
 * environment and working directory are the daemon's own (they are part of the daemon's name, {@link BuildDaemons}),
 * the command's stdout and stderr go to the client's FIFOs, the client's Ctrl-C (or its end) interrupts the command
 * as the signal would in a process of its own, and the command's exit code becomes the client's.
 * <p>Its files share one name, {@code KEY}: {@code KEY.sock}, the Unix socket {@code strata daemon status} and
 * {@code stop} and a newer build's retire request use ({@link DaemonWire}); {@code KEY.runs}, the FIFO the shell
 * clients write their requests to; {@code KEY.pid}, which tells a client whether the daemon is still there.
 * <p>One command at a time: a second client is told the daemon is busy and builds in a process of its own
 * (two builds in one JVM would share what one process holds alone, the git cache's and the store's file
 * locks among them). After {@code idleTimeout} without a command, or when asked to stop, the daemon removes
 * its files and returns.
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
    /** The threads answering the socket's connections and the request FIFO's commands: {@link #serve} returns only once they have answered. */
    private final java.util.Set<Thread> answering = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set once serve waits for its last answers; guarded by {@link #answering}. */
    private boolean answersClosed;
    private volatile boolean stopping;
    private final AtomicReference<RunRequest> runningRequest = new AtomicReference<>();
    /** Cancels the running command (its client's Ctrl-C); nothing when none runs. */
    private final AtomicReference<Runnable> cancel = new AtomicReference<>(() -> { });
    private final Path runs;
    private final Path pidFile;
    private ServerSocketChannel server;
    private Object socketKey;
    private Object runsKey;
    private volatile FileChannel runsChannel;

    public DaemonServer(Path socket, Duration idleTimeout, CommandRunner runner, PrintStream log, Clock clock) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
        this.lastActive = new AtomicReference<>(started);
        String key = socket.getFileName().toString().replaceFirst("\\.sock$", "");
        this.runs = socket.resolveSibling(key + ".runs");
        this.pidFile = socket.resolveSibling(key + ".pid");
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
        try {
            makeRequestFifo();
        } catch (IOException e) {
            stopAccepting();
            throw e;
        }
        return true;
    }

    /**
     * The FIFO the shell clients write their requests to (a killed daemon's replaced), held open for reading and
     * writing so that it never reaches an end between clients, and the pid file next to it. The requests of
     * clients that died before the daemon saw them are swept here.
     */
    private void makeRequestFifo() throws IOException {
        Files.deleteIfExists(runs);
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", runs.toString()).redirectErrorStream(true).start();
        String said = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (mkfifo.waitFor() != 0) {
                throw new IOException("cannot make the build daemon's request FIFO " + runs + ": " + said);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + runs, e);
        }
        runsKey = Files.readAttributes(runs, BasicFileAttributes.class).fileKey();
        runsChannel = FileChannel.open(runs, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Path written = pidFile.resolveSibling(pidFile.getFileName() + ".new");
        Files.writeString(written, ProcessHandle.current().pid() + "\n");
        Files.move(written, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sweepAbandonedRequests();
    }

    private void sweepAbandonedRequests() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(socket.getParent(), "run-*")) {
            for (Path file : files) {
                String name = file.getFileName().toString(); // run-PID-N.SUFFIX: the request is run-PID-N
                Path base = file.resolveSibling(name.substring(0, Math.max(name.lastIndexOf('.'), 0)));
                RunRequest.parse(base.toString(), socket.getParent()).filter(request -> !request.clientAlive())
                        .ifPresent(RunRequest::removeFiles);
            }
        }
    }

    /** Serves clients until idle for {@code idleTimeout} or asked to stop, then removes the socket. */
    public void serve() throws IOException {
        Thread idleWatch = Thread.ofVirtual().name("strata-daemon-idle").start(this::watchIdle);
        // A platform thread: a read of a FIFO blocks in the kernel, where a virtual thread would hold its carrier.
        Thread requests = Thread.ofPlatform().daemon().name("strata-daemon-requests").start(this::readRequests);
        log.println("strata daemon: serving on " + socket + " (pid " + ProcessHandle.current().pid() + ", idle timeout "
                + idleTimeout + ")");
        try {
            while (!stopping) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (ClosedChannelException closed) {
                    break;
                } catch (IOException failed) {
                    // One connection that could not be taken (a client gone before its accept, no file descriptor
                    // left for a moment) is no reason to stop serving every other one.
                    log.println("strata daemon: could not accept a connection: " + failed.getMessage());
                    pause();
                    continue;
                }
                startAnswering("strata-daemon-client", () -> answer(client));
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
            // The answer to `strata daemon stop` (or a retire request) is written after the socket is gone, by its
            // own thread: the JVM ends once this returns, and it once ended before that answer was written, so the
            // stop command said no daemon was running (BuildDaemonIT, 2026-12-04). A client that never finishes its
            // request holds the daemon's end for a few seconds at most.
            awaitAnswers(Duration.ofSeconds(5));
            // Requests still read until here were told the daemon is busy; later ones find no daemon (the pid file
            // is gone) and are withdrawn by their clients.
            runsChannel.close();
            requests.interrupt();
            log.println("strata daemon: stopped after " + commands.get() + " command(s)");
        }
    }

    /**
     * Starts a thread that answers a client; {@link #serve} returns only once it has answered. Once the daemon
     * has begun waiting for its last answers, nothing more is started: a request read then stays unclaimed, and
     * its client withdraws it and builds by itself (claimed, and the JVM ended before its answer, the client
     * would have reported DAEMON_LOST for a command that never ran).
     */
    private void startAnswering(String name, Runnable answer) {
        synchronized (answering) {
            if (answersClosed) {
                return;
            }
            Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
                try {
                    answer.run();
                } finally {
                    answering.remove(Thread.currentThread());
                }
            });
            answering.add(thread);
            thread.start();
        }
    }

    private void awaitAnswers(Duration atMost) {
        synchronized (answering) {
            answersClosed = true;
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread answer : List.copyOf(answering)) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !answer.join(Duration.ofNanos(left))) {
                    log.println("strata daemon: a client is still unanswered after " + atMost + "; ending all the same");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether {@link #serve} waits for its last answers and starts no more (for tests). */
    boolean endingAnswers() {
        synchronized (answering) {
            return answersClosed;
        }
    }

    /** How many connections and commands are being answered (for tests: one accepted is counted at once). */
    int answering() {
        return answering.size();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /**
     * Stops accepting; a running command goes on to its end, after which {@link #serve} returns. The daemon's
     * files are removed while they are still its own (a new daemon may have taken their names already).
     */
    void stopAccepting() {
        stopping = true;
        removeIfOwn(socket, socketKey);
        removeIfOwn(runs, runsKey);
        try {
            if (Files.exists(pidFile) && Files.readString(pidFile).strip().equals(String.valueOf(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            log.println("strata daemon: could not remove " + pidFile + ": " + e.getMessage());
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    private void removeIfOwn(Path file, Object key) {
        try {
            if (key != null && Files.exists(file) && key.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.println("strata daemon: could not remove " + file + ": " + e.getMessage());
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
            byte request = wire.readRequest();
            switch (request) {
                case DaemonWire.STATUS -> wire.writeText(status());
                // The socket is gone before the answer: whoever asked may start another daemon on it at once.
                case DaemonWire.STOP -> {
                    log.println("strata daemon: asked to stop");
                    stop();
                    wire.writeText("stopping the build daemon " + ProcessHandle.current().pid() + " on " + socket);
                }
                case DaemonWire.RETIRE -> {
                    log.println("strata daemon: asked to retire (a newer build of Strata replaces it)");
                    stopAccepting();
                    wire.writeText("retiring the build daemon " + ProcessHandle.current().pid() + " on " + socket
                            + (running.get() != null ? " once its build ends" : ""));
                }
                default -> wire.writeText("unknown request " + request);
            }
        } catch (IOException e) {
            log.println("strata daemon: a client's connection failed: " + e.getMessage());
        }
    }

    /** Reads the request FIFO until the daemon ends: {@code run BASE} starts a command, {@code cancel BASE} cancels it. */
    private void readRequests() {
        // Through an InputStream: Channels.newReader over a FileChannel reads until its buffer is full, which on a
        // FIFO means it would sit on a request until 8 KB of others came.
        BufferedReader lines = new BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(runsChannel),
                StandardCharsets.UTF_8));
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int space = line.indexOf(' ');
                String verb = space < 0 ? line : line.substring(0, space);
                Optional<RunRequest> request = RunRequest.parse(space < 0 ? "" : line.substring(space + 1), socket.getParent());
                if (request.isEmpty()) {
                    log.println("strata daemon: a request it does not know: " + line);
                } else if (verb.equals("run")) {
                    startAnswering("strata-daemon-command", () -> answer(request.get()));
                } else if (verb.equals("cancel") && request.get().equals(runningRequest.get())) {
                    cancel.get().run();
                }
            }
        } catch (IOException closed) {
            // the daemon is ending
        }
    }

    private void answer(RunRequest request) {
        try {
            Optional<List<String>> args = request.claim();
            if (args.isEmpty()) {
                return; // withdrawn by its client, which builds by itself
            }
            try (FileChannel status = request.openForWriting("status")) {
                if (stopping || !oneCommand.tryAcquire()) {
                    writeLine(status, "busy");
                    return;
                }
                int exit;
                try {
                    exit = run(request, args.get(), status);
                } finally {
                    runningRequest.set(null);
                    running.set(null);
                    lastActive.set(clock.instant());
                    oneCommand.release();
                }
                // The daemon is free before its client hears the exit code: `strata build; strata build` must find it
                // free, not busy (the second build ran in a JVM of its own otherwise; CI 2026-12-04 saw `daemon status`
                // say "running yes" after the client had ended). serve waits for this line (startAnswering).
                writeLine(status, "exit " + exit);
            }
        } catch (IOException e) {
            log.println("strata daemon: a client's request failed: " + e.getMessage());
        } finally {
            request.removeFiles();
        }
    }

    private static void writeLine(FileChannel channel, String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Runs the command with its output going to the client's FIFOs; its exit code. */
    private int run(RunRequest request, List<String> args, FileChannel status) throws IOException {
        Thread command = Thread.currentThread();
        Object cancelLock = new Object();
        boolean[] ended = {false};
        running.set(command);
        commands.incrementAndGet();
        lastActive.set(clock.instant());
        try (FileChannel outChannel = request.openForWriting("out"); FileChannel errChannel = request.openForWriting("err")) {
            request.removeFiles(); // both ends are open: the names are no longer needed
            // The client's Ctrl-C (a cancel request), or its end, interrupts the command as the signal would in a
            // process of its own; a client that is gone can no longer read, so its FIFOs are closed under the output.
            Runnable interrupt = () -> {
                synchronized (cancelLock) {
                    if (!ended[0]) {
                        command.interrupt();
                    }
                }
            };
            cancel.set(interrupt);
            runningRequest.set(request);
            writeLine(status, "accepted");
            Thread clientWatch = Thread.ofVirtual().name("strata-daemon-client-watch").start(() -> {
                try {
                    while (request.clientAlive()) {
                        Thread.sleep(200);
                    }
                    interrupt.run();
                    outChannel.close();
                    errChannel.close();
                } catch (InterruptedException | IOException commandEnded) {
                    // the command ended first
                }
            });
            int exit;
            try (DaemonOutbox outbox = new DaemonOutbox()) {
                PrintWriter out = new PrintWriter(new OutputStreamWriter(outbox.stream(outChannel), StandardCharsets.UTF_8), true);
                PrintWriter err = new PrintWriter(new OutputStreamWriter(outbox.stream(errChannel), StandardCharsets.UTF_8), true);
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
            }
            clientWatch.interrupt();
            Thread.interrupted(); // a cancel that came as the command ended must not outlive it (the exit line is written next)
            return exit;
        } finally {
            cancel.set(() -> { });
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
