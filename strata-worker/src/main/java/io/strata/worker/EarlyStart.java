package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;

/**
 * Work a later step begins while an earlier one runs, because it needs nothing that step produces:
 * the documents' uploads are opened while buildah builds; the image's packages are read and the
 * SBOM and provenance written and stored as soon as tag_and_push has read the pushed manifest back,
 * while it sets the image's other tags. Returns the state with what it began; what it began ends by
 * itself when the build fails before the later step. Each later step does the work itself when
 * nothing began it (its plan left the earlier step out).
 */
@FunctionalInterface
interface EarlyStart {
    WorkerState begin(WorkerState state, StepContext context) throws StrataException;

    /** This, then {@code next} on the state this returned. */
    default EarlyStart then(EarlyStart next) {
        return (state, context) -> next.begin(begin(state, context), context);
    }

    /** {@code step}, with this begun first, in its context (its later steps are those of {@code step}). */
    default Step<WorkerState> before(Step<WorkerState> step) {
        return (state, context) -> step.run(begin(state, context), context);
    }
}
