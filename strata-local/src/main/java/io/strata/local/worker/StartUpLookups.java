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
 * A failure here is left for the real call to report with its own message. The services wait only
 * for buildah's version: git's configuration only warms up JGit for the build that follows, and an
 * unchanged rebuild that build avoidance answers without opening a repository never needs it
 * (waiting for it cost that rebuild 30 ms of its 0.4 s; docs/benchmarks.md, "Build avoidance").
 */
final class StartUpLookups {
    private final Thread buildahVersion;

    private StartUpLookups(Thread buildahVersion) {
        this.buildahVersion = buildahVersion;
    }

    static StartUpLookups start(Buildah buildah) {
        Thread.ofVirtual().name("strata-git-config").start(() -> {
            try {
                GitCheckout.readGitConfig();
            } catch (java.io.IOException | RuntimeException e) {
                // JGit finds it again when it opens a repository, and reports what it reports there.
            }
        });
        return new StartUpLookups(Thread.ofVirtual().name("strata-lookups").start(() -> {
            try {
                buildah.version();
            } catch (BuildahException e) {
                // Asked again by the engine, which reports it.
            }
        }));
    }

    /** Waits for buildah's version asked here, then asks {@code buildah} for it (known by then, unless it failed). */
    String awaitBuildahVersion(Buildah buildah) throws BuildahException {
        Threads.joinUninterruptibly(buildahVersion);
        return buildah.version();
    }
}
