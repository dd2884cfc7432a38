package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.RpmComponent;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.Buildah;
import io.strata.registry.ImageReference;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.assembly.RpmDatabaseProbe;
import java.util.List;
import java.util.Optional;

/**
 * gather_image_content: lists the rpm packages installed in the built image (none, not an error,
 * when the image has no rpm) and records the image's output again with them. The image itself was
 * recorded by tag_and_push, so a failure here loses only the package list. A small image whose
 * layers (read from the registry) hold no rpm database needs no working container at all.
 */
final class GatherImageContentStep implements Step<WorkerState> {
    private final Buildah buildah;
    private final RpmDatabaseProbe probe;

    GatherImageContentStep(Buildah buildah, RpmDatabaseProbe probe) {
        this.buildah = buildah;
        this.probe = probe;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        List<RpmComponent> components;
        ImageReference pushed = ImageReference.parse(state.requirePushed().repository())
                .pinnedTo(state.requirePushed().digest());
        if (probe.certainlyNone(pushed, state.platform())) {
            context.log("the image's layers hold no rpm database: nothing to list, no working container");
            components = List.of();
        } else {
            components = state.assembled().isPresent()
                    ? assembledRpms(state, state.assembled().get(), context)
                    : buildah.listRpms(state.requireImageId(), state.buildId().value());
        }
        WorkerState gathered = state.withComponents(components);
        var output = gathered.imageOutput();
        context.log("image " + output.pullspec() + ": " + output.layerDigests().size() + " layers, "
                + output.sizeBytes() + " bytes, " + components.size() + " rpm packages");
        context.publish(new BuildEvent.ImagePushed(state.buildId(), context.clock().instant(), output));
        return gathered;
    }

    /**
     * The packages of an image Strata assembled: its layers only copy files, so they are the base
     * image's (none for scratch); only when a layer wrote into an rpm database is the image itself
     * pulled and asked. Either is pulled now, after the push, never before it.
     */
    private List<RpmComponent> assembledRpms(WorkerState state, AssembledImage image, StepContext context)
            throws StrataException, InterruptedException {
        String pushed = state.requirePushed().repository() + "@" + image.digest();
        Optional<String> listed = image.touchesRpmDatabase() ? Optional.of(pushed) : image.baseImage();
        if (listed.isEmpty()) {
            return List.of();
        }
        buildah.pullIfMissing(listed.get(), state.platform().toString(), context::log);
        return buildah.listRpms(listed.get(), state.buildId().value());
    }
}
