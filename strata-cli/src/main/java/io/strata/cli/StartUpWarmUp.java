package io.strata.cli;

import io.strata.cli.remote.RemoteWarmUp;
import io.strata.core.pipeline.Background;
import io.strata.local.store.BuildStores;
import java.util.Optional;
import java.util.Set;

/**
 * Work a command begins on another core while the JVM builds its command tree and parses its
 * arguments (about 0.1 s, one thread), the one place that decides which:
 * <ul>
 * <li>a command handed to a build service ({@code --server}, {@code STRATA_SERVER}): the client's
 *     JSON and HTTP set-up ({@link RemoteWarmUp});</li>
 * <li>else a command that opens the embedded store: the store driver's own set-up
 *     ({@link BuildStores#warmUpEmbedded}), which its first connection would otherwise do on the
 *     command's thread. Which commands those are the launcher says, in the kind of command it
 *     passes ({@value #KIND_PROPERTY}, scripts/lib/command-kind.sh); without it, none.</li>
 * </ul>
 * A command whose store turns out to be PostgreSQL, or whose configuration file names a build
 * service, has spent a little CPU on another thread for nothing.
 * <p>Every command also begins {@link #beginExitLogger the system logger's look-up} that its exit needs.
 */
final class StartUpWarmUp {
    /** The system property the launcher sets to the kind of command. */
    static final String KIND_PROPERTY = "strata.command.kind";

    /** The launcher's kinds of command that open the embedded store in this process. */
    private static final Set<String> OPEN_THE_STORE = Set.of("build", "demo", "records");

    private static final java.util.concurrent.atomic.AtomicBoolean EXIT_LOGGER_BEGUN = new java.util.concurrent.atomic.AtomicBoolean();

    private StartUpWarmUp() {}

    /**
     * Begins, once per process, the look-up of the system logger that {@code System.exit} asks for (to log the
     * exit at DEBUG, JDK 17+): the first {@code System.getLogger} asks the ServiceLoader for a
     * {@code LoggerFinder}, which opens every jar of the class path (about 150 for the command line) to read
     * its service files: 55-65 ms that every command paid on its own thread as it ended, `strata --version`
     * included, where nothing else opens a jar (classes come from the start-up cache). Done here on another
     * core while the command runs, the exit finds it done. Returns the thread when this call began it.
     */
    static Optional<Thread> beginExitLogger() {
        if (!EXIT_LOGGER_BEGUN.compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(Background.warmUp("strata-exit-logger-warm-up", () -> System.getLogger("java.lang.Runtime")));
    }

    /**
     * Begins the warm-up for a command of {@code kind} run with {@code args}, and {@link #beginExitLogger the exit's
     * look-up}; the thread of the kind's warm-up, when one was started.
     */
    static Optional<Thread> begin(String kind, StrataEnvironment environment, String... args) {
        beginExitLogger();
        if (RemoteWarmUp.namesService(environment, args)) {
            return Optional.of(Background.warmUp("strata-remote-warm-up", RemoteWarmUp::warmUp));
        }
        if (OPEN_THE_STORE.contains(kind)) {
            return Optional.of(Background.warmUp("strata-store-warm-up", BuildStores::warmUpEmbedded));
        }
        return Optional.empty();
    }
}
