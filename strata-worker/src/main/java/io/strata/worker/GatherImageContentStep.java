package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.RpmComponent;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.Buildah;
import java.util.List;

/**
 * gather_image_content: lists the rpm packages installed in the built image (none, not an error,
 * when the image has no rpm) and records the image's output again with them. The image itself was
 * recorded by tag_and_push, so a failure here loses only the package list.
 */
final class GatherImageContentStep implements Step<WorkerState> {
    private final Buildah buildah;

    GatherImageContentStep(Buildah buildah) {
        this.buildah = buildah;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        List<RpmComponent> components = buildah.listRpms(state.requireImageId(), state.buildId().value());
        WorkerState gathered = state.withComponents(components);
        var output = gathered.imageOutput();
        context.log("image " + output.pullspec() + ": " + output.layerDigests().size() + " layers, "
                + output.sizeBytes() + " bytes, " + components.size() + " rpm packages");
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), output));
        return gathered;
    }
}
