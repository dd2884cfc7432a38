package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;

/**
 * Work a later step begins while an earlier one runs, because it needs nothing that step produces:
 * the documents' uploads are opened while buildah builds, and attach_provenance writes and stores
 * its document while gather_image_content reads the image, so only the SBOM's push and the
 * referrers tag are left after it. Returns the state with what it began; what it began ends by
 * itself when the build fails before the later step.
 */
@FunctionalInterface
interface EarlyStart {
    WorkerState begin(WorkerState state, StepContext context) throws StrataException;

    /** {@code step}, with this begun first, in its context (its later steps are those of {@code step}). */
    default Step<WorkerState> before(Step<WorkerState> step) {
        return (state, context) -> step.run(begin(state, context), context);
    }
}
