package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.config.PlatformConfig;
import io.strata.core.engine.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Where each platform's worker build of a multi-platform build runs: on an engine that can build
 * the platform ({@link Engine#checkPlatform}) and is not drained for it, within the platform's
 * {@code max_concurrent_builds} ({@code [platform:NAME]}) and the engine's {@code strata_concurrency}.
 * A worker waits for a free place; a platform no engine can build is refused up front, with the
 * reason of the last engine that refused it (the fix is in it).
 *
 * <p>The limits here count this process's worker builds; builds of the queue are limited in the
 * store when they are claimed (docs/architecture.md, The queue).
 */
final class PlatformPlacement {
    /** Which engine is drained for which platform, asked before every placement. */
    @FunctionalInterface
    interface DrainCheck {
        /** Whether {@code engine} takes no new builds of {@code platform} now. */
        boolean drained(String engine, String platform) throws StrataException;

        /** Nothing is ever drained. */
        DrainCheck NONE = (engine, platform) -> false;
    }

    /** A place taken: the engine to run on, given back with {@link #close}. */
    record Place(Engine engine, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    private final List<Engine> engines;
    private final DrainCheck drain;
    private final Map<String, Semaphore> perEngine = new HashMap<>();
    private final Map<String, Semaphore> perPlatform = new HashMap<>();

    PlatformPlacement(List<Engine> engines, Configuration config, DrainCheck drain) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("placement needs at least one engine");
        }
        this.engines = List.copyOf(engines);
        this.drain = drain;
        for (Engine engine : engines) {
            perEngine.put(engine.name(), new Semaphore(Math.max(1, config.strata().concurrency())));
        }
        for (PlatformConfig platform : config.platforms().values()) {
            platform.maxConcurrentBuilds().ifPresent(max -> perPlatform.put(platform.name(), new Semaphore(max)));
        }
    }

    /** Refuses, before anything is stored, the first platform no engine can build. */
    void requirePlaceable(List<String> platforms) throws StrataException {
        for (String platform : platforms) {
            candidates(platform);
        }
    }

    /** Waits for a place for a worker of {@code platform} and takes it. */
    Place place(String platform) throws StrataException, InterruptedException {
        List<Engine> candidates = candidates(platform);
        Semaphore platformLimit = perPlatform.get(platform);
        if (platformLimit != null) {
            platformLimit.acquire();
        }
        try {
            // The first engine with a free place (normally there is one engine per process).
            for (Engine engine : candidates) {
                Semaphore engineLimit = perEngine.get(engine.name());
                if (engineLimit.tryAcquire()) {
                    return new Place(engine, () -> release(engineLimit, platformLimit));
                }
            }
            Engine first = candidates.getFirst();
            Semaphore engineLimit = perEngine.get(first.name());
            engineLimit.acquire();
            return new Place(first, () -> release(engineLimit, platformLimit));
        } catch (InterruptedException | RuntimeException e) {
            if (platformLimit != null) {
                platformLimit.release();
            }
            throw e;
        }
    }

    private static void release(Semaphore engineLimit, Semaphore platformLimit) {
        engineLimit.release();
        if (platformLimit != null) {
            platformLimit.release();
        }
    }

    /** The engines that can build the platform and are not drained for it, or the reason none can. */
    private List<Engine> candidates(String platform) throws StrataException {
        List<Engine> able = new ArrayList<>();
        StrataException refusal = null;
        for (Engine engine : engines) {
            try {
                engine.checkPlatform(platform);
            } catch (StrataException e) {
                refusal = e;
                continue;
            }
            // The drain check (engine or platform drained by an operator) goes here, per engine.
            if (drain.drained(engine.name(), platform)) {
                refusal = new StrataException(PLATFORM_DRAINED, "every engine that builds " + platform
                        + " is drained for it (engine " + engine.name() + ")",
                        "wait until an operator undrains it, or build without " + platform);
                continue;
            }
            able.add(engine);
        }
        if (able.isEmpty()) {
            throw refusal;
        }
        return able;
    }

    /** The reason of a platform whose every able engine is drained. */
    static final String PLATFORM_DRAINED = "PLATFORM_DRAINED";
}
