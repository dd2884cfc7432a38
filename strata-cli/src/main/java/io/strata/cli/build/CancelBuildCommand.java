package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata cancel-build ID}: asks the process running a build (this one or another) to cancel
 * it. The request is stored with the build's lease; the running process sees it at its next
 * heartbeat, stops buildah and records CANCELLED. Prints the id once the request is stored.
 */
@Command(name = "cancel-build", mixinStandardHelpOptions = true,
        description = "Cancel a running build (it ends CANCELLED within a few seconds).")
public final class CancelBuildCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The build id.")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(spec.commandLine().getErr()).config(), serverOptions)) {
            // A queued build ends CANCELLED at once; a running one is asked to stop (BUILD_NOT_RUNNING once over).
            BuildRecord build = services.builds().cancel(ServiceAccess.parse(id), ServiceAccess.localUser());
            out.println(build.id());
            out.flush();
            return 0;
        }
    }
}
