package io.strata.cli.build;

import io.strata.cli.StartUpTraining;
import io.strata.cli.StrataEnvironment;
import io.strata.cli.daemon.BuildDaemons;
import io.strata.cli.options.BuildRequestOptions;
import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.RemoteBuild;
import io.strata.cli.remote.RemoteBuildService;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.config.Configuration;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.service.BuildSubmission;
import io.strata.local.worker.LocalBuildService;
import io.strata.local.worker.LocalServices;
import io.strata.local.worker.SubmittedBuild;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Mixin
    ServerOptions serverOptions;

    @Option(names = "--no-wait", description = "With a build service (--server): print the build's id once it is queued and return.")
    boolean noWait;

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
        Optional<RemoteBuildService> remote = serverOptions.connect(config);
        if (remote.isPresent()) {
            if (noWait) {
                StartUpTraining.tookAShortcut(); // the build is not followed: too few of a client's classes
            }
            try (RemoteBuildService server = remote.get()) {
                return RemoteBuild.run(server, new BuildSubmission(requestOptions.toBuildRequest(),
                        CustomizeJson.readIfGiven(customize)), noWait, follow, json, out, err);
            }
        }
        if (noWait) {
            throw new ParameterException(spec.commandLine(),
                    "--no-wait needs a build service (--server URL): without one the build runs in this process");
        }
        LocalServices.requireEngineHere(config);
        // Request and plan are checked before anything is opened: a mistake in them is reported first.
        var prepared = LocalBuildService.prepare(
                new BuildSubmission(requestOptions.toBuildRequest(), CustomizeJson.readIfGiven(customize)), config);
        int exit = LocalBuilds.cancellable(() -> {
            try (LocalServices services = LocalServices.open(config, LocalBuilds.buildahOptions(config),
                    LocalBuilds.diagnostics(err), Map.of(), Optional.of(prepared.request()))) {
                SubmittedBuild submitted = services.builds().submit(prepared.request(), config, prepared.plan());
                BuildRecord done = services.builds().run(submitted, new ProgressPrinter(err, follow));
                if (done.reusedFrom().isPresent() || done.configOnlyFrom().isPresent()) {
                    StartUpTraining.tookAShortcut(); // no step ran: too few of a build's classes to train on
                }
                return LocalBuilds.report(done, json, out, err);
            }
        });
        BuildDaemons.startIfAsked(StrataEnvironment.of(spec), err);
        return exit;
    }
}
