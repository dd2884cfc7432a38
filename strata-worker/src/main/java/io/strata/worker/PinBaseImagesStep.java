package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.dockerfile.Stage;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.ResolvedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pin_base_images: resolves every parent image to the digest of its manifest for this build's
 * platform (a manifest list is resolved to the platform's entry) and rewrites the FROM lines to
 * {@code repository@digest}, so the build uses exactly what was looked up, whatever happens to the
 * tag meanwhile. Stages that build on earlier stages and {@code scratch} are left as written.
 */
final class PinBaseImagesStep implements Step<WorkerState> {
    static final String SCRATCH = "scratch";

    private final RegistryClient registry;

    PinBaseImagesStep(RegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        // Parents pinned before the worker started (build avoidance, for this commit and platform) are not asked again.
        Map<String, String> known = state.resolved().map(resolved -> resolved.pinnedParents()).orElse(Map.of());
        Pins pins = pin(state.requireDockerfile(), state.request().buildArgs(), state.platform(),
                state.request().dockerfilePath(), known, registry.reportingTo(context::log), context::log);
        return state.withPinnedParents(pins.dockerfile(), pins.pinned());
    }

    /**
     * @param dockerfile the Dockerfile with every FROM of a parent image rewritten to repository@digest
     * @param pinned     each parent as written -> its pinned reference
     */
    record Pins(Dockerfile dockerfile, Map<String, String> pinned) {}

    /** Resolves the parents of {@code dockerfile} for {@code platform}; also the content key's way to pin them. */
    static Pins pin(Dockerfile dockerfile, Map<String, String> buildArgs, Platform platform, String dockerfilePath,
            RegistryClient client, java.util.function.Consumer<String> log) throws StrataException {
        return pin(dockerfile, buildArgs, platform, dockerfilePath, Map.of(), client, log);
    }

    /** As above; a parent in {@code known} (as written -> pinned reference) is taken from it, not the registry. */
    static Pins pin(Dockerfile dockerfile, Map<String, String> buildArgs, Platform platform, String dockerfilePath,
            Map<String, String> known, RegistryClient client, java.util.function.Consumer<String> log) throws StrataException {
        Map<String, String> pinned = new LinkedHashMap<>();
        List<String> newParents = new ArrayList<>();
        List<Stage> stages;
        try {
            // Global ARGs expanded as BuildKit does, the request's build args overriding their defaults, and
            // BuildKit's platform args (FROM ${TARGETARCH}/base): Strata builds on the platform it builds for.
            stages = dockerfile.buildStages(buildArgs,
                    Dockerfile.platformArgs(platform.os(), platform.architecture(), platform.variant().orElse(null)));
        } catch (DockerfileException e) {
            throw CheckOutSourceStep.invalidDockerfile(dockerfilePath, e);
        }
        for (Stage stage : stages) {
            if (stage.buildsOnStage()) {
                continue;
            }
            String image = stage.image();
            if (SCRATCH.equals(image)) {
                newParents.add(image);
                continue;
            }
            String reference = pinned.get(image);
            if (reference == null && known.containsKey(image)) {
                reference = known.get(image);
                log.accept("pinned " + image + " -> " + reference + " (as resolved when the build started)");
                pinned.put(image, reference);
            }
            if (reference == null) {
                ImageReference parsed = ImageReference.parse(image);
                ResolvedImage resolved = client.resolve(parsed, platform);
                reference = resolved.pinned().toString();
                log.accept("pinned " + image + " -> " + reference + resolved.fromList()
                        .map(choice -> " (" + choice.platform() + " entry of manifest list " + choice.listDigest() + ")")
                        .orElse(""));
                pinned.put(image, reference);
            }
            newParents.add(reference);
        }
        try {
            return new Pins(pinned.isEmpty() ? dockerfile : dockerfile.withParentImages(newParents), pinned);
        } catch (DockerfileException e) {
            throw new StrataException("DOCKERFILE_INVALID", "cannot rewrite the FROM lines: " + e.getMessage(),
                    "check the FROM lines with `strata dockerfile inspect`", e);
        }
    }
}
