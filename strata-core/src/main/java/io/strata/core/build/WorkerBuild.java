package io.strata.core.build;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One platform's worker build of a multi-platform (orchestrator) build, as its parent's record
 * shows it: the worker's own id, state, failure, outputs and step timings. The worker's full
 * record (log, history, Koji metadata) is a build of its own in the store, under {@code id}.
 */
public record WorkerBuild(BuildId id, String platform, BuildState state, Optional<Failure> failure,
        List<ImageOutput> outputs, List<StepTiming> steps) {
    public WorkerBuild {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(failure, "failure");
        outputs = List.copyOf(outputs);
        steps = List.copyOf(steps);
    }
}
