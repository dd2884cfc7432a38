package io.strata.cli.daemon;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The launcher's client of a build daemon: {@code DaemonClient SOCKET ARGS...} hands the command line to
 * the daemon listening on {@code SOCKET}, writes what the command prints to this process's stdout and
 * stderr, and exits with the command's exit code. It starts a JVM with no class of Strata's but this one
 * and {@link DaemonWire} (no picocli, no JSON, no HTTP client): that start is the whole price of a build
 * handed to a daemon (docs/builds.md, "The build daemon").
 * <p>Ctrl-C, SIGTERM and SIGHUP cancel the build as they would in a command that built it itself: the
 * client tells the daemon and waits for the command's end (exit code 4); a second signal ends the client at
 * once, and the daemon, its socket closed, cancels all the same.
 * <p>When the daemon is gone (its socket left behind by a killed daemon) or busy with another command, the
 * client runs the command through the launcher ({@code $STRATA_LAUNCHER}) in a process of its own, which
 * builds in that process (told to skip the daemon when it is busy; a gone daemon's socket is removed first, so
 * the launcher starts a new one after the build): the user gets the build either way.
 */
public final class DaemonClient {
    private DaemonClient() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: DaemonClient SOCKET ARGS...");
            Runtime.getRuntime().halt(2);
        }
        Path socket = Path.of(args[0]);
        List<String> command = Arrays.asList(args).subList(1, args.length);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        int exit;
        SocketChannel channel = connect(socket);
        if (channel == null) {
            exit = runHere(command, err, false); // the launcher finds no socket now, and starts a daemon afterwards
        } else {
            try (channel) {
                exit = relay(new DaemonWire(channel), command, out, err);
            }
            if (exit == BUSY_EXIT) {
                exit = runHere(command, err, true);
            }
        }
        out.flush();
        err.flush();
        // halt, not exit: System.exit would look up the system logger, which opens every jar it can see.
        Runtime.getRuntime().halt(exit);
    }

    /** Not an exit code a command returns: the daemon was busy. */
    private static final int BUSY_EXIT = -1;

    /** The reason code (docs/reasons.md) of a command whose daemon ended under it, or that no daemon or launcher can run. */
    static final String DAEMON_LOST = "DAEMON_LOST";

    /** Prints a failure in the command line's form (CliRunner's: what, the reason code, how to fix) and returns exit 1. */
    private static int lost(OutputStream err, String what, String fix) throws IOException {
        err.write(("strata: " + what + " [" + DAEMON_LOST + "]\n  fix: " + fix + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return 1;
    }

    /** The daemon's channel, or null when no daemon listens there (a stale socket is removed). */
    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException refused) {
            channel.close();
            // A daemon killed without its clean-up left its socket: nobody answers there again.
            Files.deleteIfExists(socket);
            return null;
        }
    }

    private static int relay(DaemonWire wire, List<String> command, OutputStream out, OutputStream err) throws IOException {
        wire.writeRequest(DaemonWire.RUN, command);
        AtomicBoolean cancelled = new AtomicBoolean();
        List<Signal> signals = List.of(new Signal("INT"), new Signal("TERM"), new Signal("HUP"));
        for (Signal signal : signals) {
            Signal.handle(signal, caught -> {
                if (cancelled.compareAndSet(false, true)) {
                    // A second signal ends this client at once (the daemon, its socket closed, still cancels).
                    signals.forEach(s -> Signal.handle(s, sun.misc.SignalHandler.SIG_DFL));
                    try {
                        wire.writeFully(ByteBuffer.wrap(new byte[] {DaemonWire.CANCEL}));
                    } catch (IOException gone) {
                        // the daemon is gone: the read below ends too
                    }
                }
            });
        }
        while (true) {
            DaemonWire.Frame frame;
            try {
                frame = wire.readFrame();
            } catch (IOException gone) {
                return lost(err, "the build daemon on " + wire.channel().getRemoteAddress() + " ended before the command did",
                        "see its log beside the socket; run the command again (STRATA_DAEMON=off builds in this process)");
            }
            switch (frame.type()) {
                case DaemonWire.OUT -> { out.write(frame.payload()); out.flush(); }
                case DaemonWire.ERR -> { err.write(frame.payload()); err.flush(); }
                case DaemonWire.EXIT -> { return frame.exitCode(); }
                case DaemonWire.BUSY -> { return BUSY_EXIT; }
                default -> { /* a frame of a later version: nothing this client shows */ }
            }
        }
    }

    /**
     * Runs the command through the launcher in a process of its own ({@code skipDaemon}: told to build in that
     * process even though a daemon listens). It shares this process's group, so the terminal's Ctrl-C reaches it
     * directly; SIGTERM and SIGHUP are passed on.
     */
    private static int runHere(List<String> command, OutputStream err, boolean skipDaemon)
            throws IOException, InterruptedException {
        String launcher = System.getenv("STRATA_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            return lost(err, "no build daemon answers and STRATA_LAUNCHER is not set", "run the command through ./strata");
        }
        List<String> line = new ArrayList<>(List.of(launcher));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).inheritIO();
        if (skipDaemon) {
            builder.environment().put("STRATA_DAEMON", "off");
        }
        Process child = builder.start();
        Signal.handle(new Signal("INT"), caught -> { }); // the child has it from the terminal
        for (String name : List.of("TERM", "HUP")) {
            Signal.handle(new Signal(name), caught -> child.destroy());
        }
        return child.waitFor();
    }
}
