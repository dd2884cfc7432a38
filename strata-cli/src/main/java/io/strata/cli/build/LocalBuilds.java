package io.strata.cli.build;

import io.strata.cli.CliRunner;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.Configuration;
import io.strata.worker.buildah.BuildahOptions;
import java.io.PrintWriter;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** What `strata build` and `strata demo` share: buildah's storage, running with Ctrl-C handling, reporting. */
public final class LocalBuilds {
    private LocalBuilds() {}

    /** buildah's storage: the system's unless the configuration names a root of its own (tests, the demo). */
    public static BuildahOptions buildahOptions(Configuration config) {
        return io.strata.local.worker.LocalServices.buildahOptions(config);
    }

    /** Set in a build daemon (io.strata.cli.daemon): the process's signals are the daemon's, not a command's. */
    private static volatile boolean signalsOwnedByADaemon;

    /**
     * Called once by a build daemon before it serves: from then on {@link #cancellable} leaves the process's
     * signals alone. A build in a daemon is cancelled by its client (Ctrl-C there), and a signal to the daemon's
     * process ends the daemon itself, cancelling the build it runs (io.strata.cli.daemon.RunDaemonCommand).
     */
    public static void leaveSignalsToTheDaemon() {
        signalsOwnedByADaemon = true;
    }

    /** Work that opens the engine, builds and closes it again. */
    @FunctionalInterface
    public interface EngineWork {
        int run() throws StrataException;
    }

    /**
     * Runs {@code work} on this thread with Ctrl-C (SIGINT), SIGTERM and SIGHUP handling. The signal does not
     * start the JVM's shutdown: it interrupts {@code work}, which stops buildah, records CANCELLED,
     * removes the workspace and closes the store, and only then does the command exit. (A shutdown
     * hook would race the database's own exit hook, which closes the store under the winding-down
     * build.) The first signal puts the default handler back, so a second Ctrl-C ends at once.
     */
    public static int cancellable(EngineWork work) throws StrataException {
        if (signalsOwnedByADaemon) {
            return work.run(); // the daemon interrupts this thread when the command's client cancels
        }
        Thread buildThread = Thread.currentThread();
        // SIGHUP too: buildah runs in a session of its own and never sees the terminal close, so
        // Strata must stop it itself rather than exit and leave it to the next command's reconcile.
        Signal[] signals = {new Signal("INT"), new Signal("TERM"), new Signal("HUP")};
        SignalHandler[] previous = new SignalHandler[signals.length];
        SignalHandler cancel = signal -> {
            restore(signals, previous);
            buildThread.interrupt();
        };
        for (int i = 0; i < signals.length; i++) {
            previous[i] = Signal.handle(signals[i], cancel);
        }
        try {
            return work.run();
        } finally {
            restore(signals, previous);
            // A signal that came after the work ended must not leak into whatever runs next.
            Thread.interrupted();
        }
    }

    private static void restore(Signal[] signals, SignalHandler[] previous) {
        for (int i = 0; i < signals.length; i++) {
            Signal.handle(signals[i], previous[i]);
        }
    }

    /**
     * The engine's diagnostics (notes on builds a killed command left behind, and the like) on the command's
     * stderr, not the process's: in a build daemon ({@code io.strata.cli.daemon}) they reach the client that ran
     * the command.
     */
    public static java.io.PrintStream diagnostics(PrintWriter err) {
        return new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                err.write(new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The terminal view of a build's events; {@code follow} adds every log line. */
    public static io.strata.core.event.BuildListener progress(PrintWriter err, boolean follow) {
        return new ProgressPrinter(err, follow);
    }

    /** Prints the outcome: the pullspec (or the record as JSON) on stdout, a failure on stderr. */
    public static int report(BuildRecord record, boolean json, PrintWriter out, PrintWriter err) {
        return report(BuildEnding.of(record), json, out, err);
    }

    /** As {@link #report(BuildRecord, boolean, PrintWriter, PrintWriter)}, for a build's ending however it was read. */
    public static int report(BuildEnding ending, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(ending.json().get());
        }
        if (ending.state() == BuildState.COMPLETE) {
            if (!json) {
                ending.pullspecs().forEach(out::println);
            }
            out.flush();
            return 0;
        }
        ending.failure().ifPresentOrElse(
                failure -> {
                    err.println("strata: build " + ending.id() + " " + ending.state() + ": " + failure.message()
                            + " [" + failure.reason() + "]");
                    if (failure.hasHint()) {
                        err.println("  fix: " + failure.hint());
                    }
                },
                () -> err.println("strata: build " + ending.id() + " " + ending.state()));
        err.println("  see: strata build-logs " + ending.id());
        err.flush();
        return ending.state() == BuildState.CANCELLED ? CliRunner.EXIT_CANCELLED : CliRunner.EXIT_FAILURE;
    }
}
