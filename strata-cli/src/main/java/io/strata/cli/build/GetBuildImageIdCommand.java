package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata get-build-image-id ID}: the image a build pushed, as osbs-client's verb of the same
 * name answers it: the pullspec by digest ({@code registry/repo@sha256:...}), one line per platform;
 * {@code --json} adds the digest and tags per platform. A build that pushed nothing is an error.
 */
@Command(name = "get-build-image-id", mixinStandardHelpOptions = true,
        description = "Print the image a build pushed: its pullspec by digest (one line per platform).")
public final class GetBuildImageIdCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The build id, as `strata list-builds` shows it.")
    String id;

    @Option(names = "--json", description = "Print {platform: {pullspec, digest, tags}} as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (ServiceHandle services = ServiceAccess.open(configOptions.load(spec.commandLine().getErr()).config(), serverOptions)) {
            BuildRecord build = ServiceAccess.find(services, id);
            if (build.outputs().isEmpty()) {
                boolean running = !build.state().isTerminal();
                throw new StrataException("BUILD_HAS_NO_IMAGE",
                        "build " + build.id() + " is " + build.state() + " and " + (running ? "has not pushed an image yet" : "pushed no image"),
                        running ? "wait for it with `strata watch-build " + build.id() + "`"
                                : "see why with `strata get-build " + build.id() + "`"
                                        + (build.state() == BuildState.COMPLETE ? "" : " and build again"));
            }
            if (json) {
                Map<String, Object> byPlatform = new LinkedHashMap<>();
                for (ImageOutput o : build.outputs()) {
                    byPlatform.put(o.platform(), Map.of("pullspec", o.pullspec(), "digest", o.digest(), "tags", o.tags()));
                }
                out.println(RecordJson.write(byPlatform));
            } else {
                build.outputs().forEach(o -> out.println(o.pullspec()));
            }
            out.flush();
            return 0;
        }
    }
}
