package io.strata.worker;

import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.dockerfile.Dockerfile;
import java.util.Map;

/**
 * add_build_env: sets the plan's {@code env} in the last stage (an existing key is changed in
 * place). Build arguments from the request are not written into the Dockerfile: buildah_build
 * passes them as --build-arg, as the user would.
 */
final class AddBuildEnvStep implements Step<WorkerState> {
    @Override
    public WorkerState run(WorkerState state, StepContext context) {
        Map<String, String> env = context.config().stringMapArg("env");
        if (env.isEmpty()) {
            context.log("no environment to add");
            return state;
        }
        Dockerfile edited = state.requireDockerfile().withEnvsSet(env);
        context.log("set ENV " + String.join(", ", env.keySet()));
        return state.withDockerfile(edited);
    }
}
