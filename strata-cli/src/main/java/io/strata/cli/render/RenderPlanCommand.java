package io.strata.cli.render;

import io.strata.cli.options.BuildRequestOptions;
import io.strata.cli.options.ConfigOptions;
import io.strata.cli.options.OutputOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.plan.StepCatalog;
import io.strata.core.request.BuildRequest;
import io.strata.core.request.BuildRequestValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata render plan}: the ordered, checked steps a build request would run. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the build plan (ordered steps and their arguments) for a build request.")
public final class RenderPlanCommand implements Callable<Integer> {

    /** The build types, for picocli's completion and --help. */
    static final class BuildTypes extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        BuildTypes() {
            super(StepCatalog.BUILD_TYPES);
        }
    }

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    BuildRequestOptions requestOptions;

    @Mixin
    OutputOptions outputOptions;

    @Option(names = "--build-type", paramLabel = "TYPE", defaultValue = StepCatalog.WORKER, completionCandidates = BuildTypes.class,
            description = "worker or orchestrator (default: ${DEFAULT-VALUE}).")
    String buildType;

    @Option(names = "--customize", paramLabel = "FILE",
            description = "Customize document (osbs-client's *_customize.json): disable_plugins, enable_plugins.")
    Path customize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = configOptions.load(spec.commandLine().getErr()).config();
        BuildRequest request = requestOptions.toBuildRequest();
        BuildRequestValidator.requireValid(request, config);
        Optional<CustomizeJson> customization = CustomizeJson.readIfGiven(customize);
        Plan plan = PlanRenderer.render(buildType, config.arrangementVersion(), customization,
                PlanOverrides.from(request, config));
        out.print(outputOptions.format().reformat(plan.toJson()));
        out.flush();
        return 0;
    }
}
