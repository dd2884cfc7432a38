package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.io.AtomicFiles;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.local.buildah.BudSpec;
import io.strata.local.buildah.Buildah;
import java.io.IOException;
import java.nio.file.Path;

/**
 * buildah_build: writes the edited Dockerfile into the workspace (the checked-out one stays as it
 * was) and runs {@code buildah bud} on the Dockerfile's directory, every output line going to the
 * build log as it happens. Unless the plan allows network ({@code network: true}) the pinned parent
 * images are pulled first and the build itself runs without network: RUN instructions see nothing
 * but their own loopback.
 */
final class BuildahBuildStep implements Step<WorkerState> {
    static final String YUM_REPOS_MOUNT = "/etc/yum.repos.d";

    private final Buildah buildah;

    BuildahBuildStep(Buildah buildah) {
        this.buildah = buildah;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        var source = state.requireSource();
        Path dockerfile = state.workspace().resolve("Dockerfile.strata");
        try {
            AtomicFiles.writeString(dockerfile, state.requireDockerfile().content());
        } catch (IOException e) {
            throw new StrataException("WORKSPACE_UNWRITABLE", "cannot write the edited Dockerfile to " + dockerfile + ": " + e.getMessage(),
                    "check free space and permissions under STRATA_HOME", e);
        }
        Path contextDir = source.dir().resolve(state.request().dockerfilePath()).normalize().getParent();
        BudSpec.Builder spec = BudSpec.builder(contextDir)
                .dockerfile(dockerfile)
                .tag("localhost/strata-build:" + state.buildId().value())
                .owner(state.buildId().value())
                .platform(state.platform().toString())
                .layers(context.config().boolArg("layers", true))
                .allowNetwork(context.config().boolArg("network", false));
        state.request().buildArgs().forEach(spec::buildArg);
        state.pinnedParents().values().forEach(spec::baseImage);
        state.repoDir().ifPresent(dir -> spec.volume(dir + ":" + YUM_REPOS_MOUNT + ":ro"));
        String imageId = buildah.bud(spec.build(), context::log);
        context.log("built image " + imageId);
        return state.withImageId(imageId);
    }
}
