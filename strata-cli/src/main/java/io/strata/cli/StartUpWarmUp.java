package io.strata.cli;

import io.strata.core.pipeline.Background;
import io.strata.local.store.BuildStores;
import java.util.Optional;
import java.util.Set;

/**
 * Work a command begins on another core while the JVM builds its command tree and parses its
 * arguments (about 0.1 s, one thread): for a command that opens the embedded store, the store
 * driver's own set-up ({@link BuildStores#warmUpEmbedded}), which its first connection would
 * otherwise do on the command's thread. The launcher names the kind of command
 * ({@code -Dstrata.command.kind}, scripts/lib/command-kind.sh); without it nothing is begun.
 * A command whose store turns out to be PostgreSQL, or whose configuration file names a build
 * service, has spent a little CPU on another thread for nothing.
 */
final class StartUpWarmUp {
    /** The launcher's kinds of command that open the embedded store in this process. */
    private static final Set<String> OPEN_THE_STORE = Set.of("build", "demo", "records");

    private StartUpWarmUp() {}

    /** Begins the warm-up for a command of {@code kind}; the thread, when one was started. */
    static Optional<Thread> begin(String kind) {
        if (!OPEN_THE_STORE.contains(kind)) {
            return Optional.empty();
        }
        return Optional.of(Background.warmUp("strata-store-warm-up", BuildStores::warmUpEmbedded));
    }
}
