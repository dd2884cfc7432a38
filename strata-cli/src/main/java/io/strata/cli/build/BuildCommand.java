package io.strata.cli.build;

import io.strata.cli.options.BuildRequestOptions;
import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.config.Configuration;
import io.strata.core.plan.Plan;
import io.strata.core.request.BuildRequest;
import io.strata.local.worker.LocalEngine;
import io.strata.local.worker.SubmittedBuild;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata build}: one build on this machine, with osbs-client's flags. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Build an image on this machine: check out, pin base images, label, build with buildah, push, record.")
public final class BuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    BuildRequestOptions requestOptions;

    @Option(names = "--follow", description = "Show every log line as it happens, not only the steps.")
    boolean follow;

    @Option(names = "--customize", paramLabel = "FILE", description = "A customize document (JSON) that disables, enables or changes steps.")
    Path customize;

    @Option(names = "--json", description = "Print the final build record as JSON on stdout instead of the pullspec.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration config = configOptions.load(err).config();
        LocalBuilds.requireLocalEngine(config);
        BuildRequest request = LocalBuilds.forThisMachine(requestOptions.toBuildRequest());
        Plan plan = LocalBuilds.workerPlan(request, config, customize);
        return LocalBuilds.cancellable(() -> {
            try (LocalEngine engine = LocalEngine.open(config, LocalBuilds.buildahOptions(config), System.err)) {
                SubmittedBuild submitted = engine.builds().submit(request, config, plan);
                BuildRecord done = engine.builds().run(submitted, new ProgressPrinter(err, follow));
                return LocalBuilds.report(done, json, out, err);
            }
        });
    }
}
