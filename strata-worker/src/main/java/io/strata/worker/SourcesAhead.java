package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.pipeline.Background;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sources of the one build a command is about to submit, resolved while the command opens its
 * store: the commit its ref names (fetched into the cache when new), its Dockerfile and the
 * parents pinned. Build avoidance's content key did that only once the build ran, after the store
 * was open, and in a command's fresh JVM it took 80-180 ms (JGit's first transport, the registry's
 * first round trip). The key takes these sources once, for the same repository, ref, branch,
 * Dockerfile, build args and platform; a build that asks for anything else, or finds the look-up
 * failed, resolves its own as before, and reports what fails there. The ref is read a moment
 * earlier than the build starts: when the user ran the command. Closing it waits until the look-up
 * has ended: a build refused before it took these sources must not leave the look-up fetching into
 * the git cache after the command (or the services of a test) ended.
 */
public final class SourcesAhead implements AutoCloseable {
    /** What a build must ask for to take these sources. */
    private record Asked(String gitUri, String gitRef, String gitBranch, String dockerfilePath,
            Map<String, String> buildArgs, Platform platform) {
        static Asked of(BuildRequest request, Platform platform) {
            return new Asked(request.gitUri(), request.gitRef(), request.gitBranch(), request.dockerfilePath(),
                    Map.copyOf(request.buildArgs()), platform);
        }
    }

    private final Asked asked;
    private final Future<Optional<ContentKeyer.Sources>> sources;
    private final KeptLines log;
    private final AtomicBoolean taken = new AtomicBoolean();

    private SourcesAhead(Asked asked, Future<Optional<ContentKeyer.Sources>> sources, KeptLines log) {
        this.asked = asked;
        this.sources = sources;
        this.log = log;
    }

    /** Begins resolving the sources of {@code request} on {@code platform} on a virtual thread; returns at once. */
    public static SourcesAhead begin(Configuration config, RegistryClient registry, BuildRequest request, Platform platform) {
        KeptLines log = new KeptLines();
        return new SourcesAhead(Asked.of(request, platform), Background.start("strata-sources-ahead",
                () -> ContentKeyer.sources(config, registry, request, platform, log)), log);
    }

    /** Waits until the look-up has ended; its answer, taken or not, is dropped. An interrupt ends the wait. */
    @Override
    public void close() {
        try {
            sources.get();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // Ended with a failure: whoever took the sources saw it; nobody else needs it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the command is ending, and the process with it
        }
    }

    /** Whether the look-up has ended (found, found nothing or failed): for tests. */
    boolean isResolved() {
        return sources.isDone();
    }

    /**
     * The sources, when {@code request} on {@code platform} asks for exactly these and nothing took them
     * yet; their look-up's log lines go to {@code log} then. Empty otherwise, and when the look-up
     * failed or found no Dockerfile: the caller resolves its own.
     */
    Optional<ContentKeyer.Sources> take(BuildRequest request, Platform platform, java.util.function.Consumer<String> log) {
        if (!asked.equals(Asked.of(request, platform)) || !taken.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            Optional<ContentKeyer.Sources> found = Background.join(sources, "resolving the build's sources");
            this.log.drain().forEach(log);
            return found;
        } catch (StrataException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
