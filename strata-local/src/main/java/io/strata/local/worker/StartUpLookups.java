package io.strata.local.worker;

import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahException;
import io.strata.worker.git.GitCheckout;

/**
 * Look-ups every local build needs that wait on other processes, started on a virtual thread as the
 * services open, so they run while the store opens instead of after it: buildah's version (a
 * {@code buildah version} process; the engine and the content key name it) and git's configuration
 * (JGit reads it the first time a repository is opened, build avoidance's key, after asking {@code git}
 * where the system's is: two processes). Measured in docs/benchmarks.md, "Whole CLI".
 * A failure here is left for the real call to report with its own message.
 */
final class StartUpLookups {
    private final Thread running;

    private StartUpLookups(Thread running) {
        this.running = running;
    }

    static StartUpLookups start(Buildah buildah) {
        return new StartUpLookups(Thread.ofVirtual().name("strata-lookups").start(() -> {
            try {
                buildah.version();
            } catch (BuildahException e) {
                // Asked again by the engine, which reports it.
            }
            try {
                GitCheckout.readGitConfig();
            } catch (java.io.IOException | RuntimeException e) {
                // JGit finds it again when it opens a repository, and reports what it reports there.
            }
        }));
    }

    /** Waits for the look-ups started here, then asks {@code buildah} its version (known by then, unless it failed). */
    String awaitBuildahVersion(Buildah buildah) throws BuildahException {
        Threads.joinUninterruptibly(running);
        return buildah.version();
    }
}
