package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.store.BuildStore;
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
    /** A cancel of a build that has finished already. */
    static final String BUILD_NOT_RUNNING = "BUILD_NOT_RUNNING";

    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "ID", description = "The build id.")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (BuildStore store = StoreAccess.open(configOptions.load(spec.commandLine().getErr()).config())) {
            BuildRecord build = StoreAccess.find(store, id);
            if (build.state().isTerminal() || !store.requestCancel(build.id())) {
                BuildRecord now = StoreAccess.find(store, id);
                throw new StrataException(BUILD_NOT_RUNNING, "build " + id + " is " + now.state()
                        + (now.state().isTerminal() ? " already" : " and not running in any strata process")
                        + "; there is nothing to cancel",
                        "see `strata get-build " + id + "`");
            }
            out.println(build.id());
            out.flush();
            return 0;
        }
    }
}
