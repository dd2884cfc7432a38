package io.strata.core.engine;

import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import java.util.Objects;
import java.util.Optional;

/**
 * How a worker ended: COMPLETE, FAILED with its failure, or CANCELLED. {@code transientFailure}
 * says a FAILED one may pass when tried again (a registry or git server that was away), so the
 * scheduler retries it with backoff; any other failure is final.
 */
public record WorkerResult(BuildState state, Optional<Failure> failure, boolean transientFailure) {
    public WorkerResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(failure, "failure");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a worker ends COMPLETE, FAILED or CANCELLED, not " + state);
        }
        if (state == BuildState.FAILED && failure.isEmpty()) {
            throw new IllegalArgumentException("a FAILED worker result needs its failure");
        }
    }

    public static WorkerResult complete() {
        return new WorkerResult(BuildState.COMPLETE, Optional.empty(), false);
    }

    public static WorkerResult cancelled() {
        return new WorkerResult(BuildState.CANCELLED, Optional.empty(), false);
    }

    public static WorkerResult failed(Failure failure, boolean transientFailure) {
        return new WorkerResult(BuildState.FAILED, Optional.of(failure), transientFailure);
    }
}
