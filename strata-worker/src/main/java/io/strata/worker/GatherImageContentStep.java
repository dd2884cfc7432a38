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
import io.strata.worker.buildah.ImagePackages;
import java.util.List;
import java.util.Optional;

/**
 * gather_image_content: lists the rpm packages installed in the built image (none, not an error,
 * when the image has no rpm) and records the image's output again with them; reads dpkg's database
 * and os-release in the same working container, for attach_sbom. The image itself was
 * recorded by tag_and_push, so a failure here loses only the package list. A small image whose
 * layers (read from the registry) hold neither an rpm nor a dpkg database needs no working
 * container at all; an image whose parents hold one had its packages listed by tag_and_push while
 * it was pushed ({@link PackageListing}), and they are only recorded here.
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
        ImagePackages packages;
        ImageReference pushed = ImageReference.parse(state.requirePushed().repository())
                .pinnedTo(state.requirePushed().digest());
        if (state.packages().isPresent()) {
            packages = state.packages().get();
            context.log("the image's packages were listed while it was pushed");
        } else if (probe.certainlyNone(pushed, state.platform())) {
            context.log("the image's layers hold no rpm or dpkg database: nothing to list, no working container");
            packages = new ImagePackages(List.of(), Optional.empty(), Optional.empty());
        } else {
            // One working container for both package databases: attach_sbom then needs none of its own.
            packages = state.assembled().isPresent()
                    ? assembledPackages(state, state.assembled().get(), context)
                    : buildah.packages(state.requireImageId(), state.buildId().value());
        }
        List<RpmComponent> components = packages.rpms();
        WorkerState gathered = state.withPackages(packages);
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
    private ImagePackages assembledPackages(WorkerState state, AssembledImage image, StepContext context)
            throws StrataException, InterruptedException {
        String pushed = state.requirePushed().repository() + "@" + image.digest();
        Optional<String> listed = image.touchesRpmDatabase() ? Optional.of(pushed) : image.baseImage();
        if (listed.isEmpty()) {
            return new ImagePackages(List.of(), Optional.empty(), Optional.empty());
        }
        buildah.pullIfMissing(listed.get(), state.platform().toString(), context::log);
        return buildah.packages(listed.get(), state.buildId().value());
    }
}
