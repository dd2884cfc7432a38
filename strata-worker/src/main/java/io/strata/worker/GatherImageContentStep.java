package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.RpmComponent;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.ImagePackages;
import java.util.List;

/**
 * gather_image_content: lists the rpm packages installed in the built image (none, not an error,
 * when the image has no rpm) and records the image's output again with them; reads dpkg's database
 * and os-release in the same working container, for attach_sbom. The image itself was
 * recorded by tag_and_push, so a failure here loses only the package list.
 */
final class GatherImageContentStep implements Step<WorkerState> {
    private final Buildah buildah;

    GatherImageContentStep(Buildah buildah) {
        this.buildah = buildah;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        // One working container for both package databases: attach_sbom then needs none of its own.
        ImagePackages packages = buildah.packages(state.requireImageId(), state.buildId().value());
        List<RpmComponent> components = packages.rpms();
        WorkerState gathered = state.withPackages(packages);
        var output = gathered.imageOutput();
        context.log("image " + output.pullspec() + ": " + output.layerDigests().size() + " layers, "
                + output.sizeBytes() + " bytes, " + components.size() + " rpm packages");
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), output));
        return gathered;
    }
}
