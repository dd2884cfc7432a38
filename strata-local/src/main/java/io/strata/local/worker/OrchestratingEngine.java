package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.RecordedLog;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import java.util.List;
import java.util.Optional;

/**
 * The engine a build service runs builds on: a build of one platform goes straight to the worker
 * engine; a build of several is an orchestrator build ({@link Orchestration}): one worker build per
 * platform, placed by {@link PlatformPlacement}, run in parallel, joined into one image index. So
 * both ways a build runs (at once by {@code strata build}, or claimed from the queue) orchestrate
 * the same way, through the engine port.
 */
final class OrchestratingEngine implements Engine {
    private final Engine workers;
    private final PlatformPlacement placement;
    private final Orchestration.Parts parts;

    OrchestratingEngine(Engine workers, PlatformPlacement placement, Orchestration.Parts parts) {
        this.workers = workers;
        this.placement = placement;
        this.parts = parts;
    }

    /** The engine each platform's worker runs on. */
    Engine workerEngine() {
        return workers;
    }

    @Override
    public String name() {
        return workers.name();
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException {
        List<String> platforms = spec.request().platforms();
        if (platforms.size() <= 1) {
            // One platform: a build of its own (its queue entry was limited by the store when claimed).
            return workers.start(spec, events);
        }
        return ThreadRun.startDetachable(spec.buildId(), "strata-orchestrator-",
                leaving -> new Orchestration(parts, placement, spec, events, leaving).run());
    }

    @Override
    public Optional<EngineRun> reattach(WorkerSpec spec, RecordedLog recorded, BuildListener events) throws StrataException {
        // A multi-platform build's own workers are builds of their own, not re-attached here: it is run
        // again, and each platform's new worker re-attaches to its predecessor's pod (PlatformWorker).
        return spec.request().platforms().size() <= 1 ? workers.reattach(spec, recorded, events) : Optional.empty();
    }

    @Override
    public void checkPlatform(String platform) throws StrataException {
        placement.requirePlaceable(List.of(platform));
    }

    @Override
    public void close() throws StrataException {
        workers.close();
    }
}
