package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.local.buildah.Buildah;
import io.strata.local.registry.ImageManifest;
import io.strata.local.registry.ImageReference;
import io.strata.local.registry.RegistryClient;
import java.util.List;

/**
 * gather_image_content: reads back what the registry now holds (layers, sizes) by digest and lists
 * the rpm packages installed in the image (none, not an error, when the image has no rpm).
 */
final class GatherImageContentStep implements Step<WorkerState> {
    private final Buildah buildah;
    private final RegistryClient registry;

    GatherImageContentStep(Buildah buildah, RegistryClient registry) {
        this.buildah = buildah;
        this.registry = registry;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        PushedImage pushed = state.requirePushed();
        ImageManifest manifest = registry.manifest(ImageReference.parse(pushed.pullspec()));
        List<RpmComponent> components = buildah.listRpms(state.requireImageId());
        context.log("image " + pushed.pullspec() + ": " + manifest.layers().size() + " layers, "
                + manifest.totalSize() + " bytes, " + components.size() + " rpm packages");
        var output = new ImageOutput(state.platform().kojiArch(), pushed.repository(), pushed.digest(), pushed.tags(),
                manifest.totalSize(), manifest.layerDigests(), components, state.requireIdentity().labels(),
                state.pinnedParents());
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), output));
        return state.withOutput(output);
    }
}
