package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import java.util.List;
import java.util.Map;

/**
 * export_koji_metadata: writes the Koji content-generator metadata document for the build and
 * checks it is complete; it is stored with the build record. Importing it into a hub is a separate
 * concern (no hub is reachable from here; see the issue notes).
 */
final class ExportKojiMetadataStep implements Step<WorkerState> {
    private final BuildEnvironment environment;

    ExportKojiMetadataStep(BuildEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException {
        if (state.components().isEmpty()) {
            // The plan lets export run without gather_image_content (it only uses its result): say what is missing.
            context.log("no rpm package list (gather_image_content did not provide one): the metadata lists no components");
        }
        var output = state.imageOutput();
        // The image id of what was pushed (its config's digest), which is not the local image's when tag_and_push
        // wrote Strata's labels into the config it sent.
        String imageId = state.pushed().filter(pushed -> !pushed.configDigest().isEmpty()).map(PushedImage::imageId)
                .orElseGet(state::requireImageId);
        var input = new KojiMetadata.Input(state.buildId().value(), state.request(), state.requireSource().commitId(),
                state.requireIdentity(), output, imageId,
                // An assembled image's manifest is Strata's own (OCI), not what buildah pushes.
                state.assembled().map(io.strata.worker.assembly.AssembledImage::mediaType).orElse(environment.manifestMediaType()),
                state.startedAt(), context.clock().instant(),
                Map.of("buildah", environment.buildahVersion(), "strata", environment.strataVersion()),
                environment.hostOs(), environment.strataVersion(), state.network());
        String json = KojiMetadata.toJson(input);
        List<String> problems = KojiMetadataValidator.problems(json);
        if (!problems.isEmpty()) {
            throw new StrataException("KOJI_METADATA_INVALID", "the Koji metadata is incomplete: " + String.join("; ", problems),
                    "this is a bug in Strata; please report it with the build record");
        }
        context.log("Koji metadata: " + output.components().size() + " components, output " + output.pullspec());
        context.publish(new BuildEvent.MetadataExported(state.buildId(), context.clock().instant(), json));
        return state;
    }
}
