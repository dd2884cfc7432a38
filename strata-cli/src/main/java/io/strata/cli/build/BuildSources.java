package io.strata.cli.build;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.RemoteBuildSource;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import java.io.PrintWriter;

/** Picks the {@link BuildSource} of a verb: the build service when one is configured, else the local store. */
final class BuildSources {
    private BuildSources() {}

    static BuildSource open(ConfigOptions configOptions, ServerOptions serverOptions, PrintWriter err)
            throws StrataException {
        Configuration config = configOptions.load(err).config();
        var remote = serverOptions.connect(config);
        return remote.isPresent() ? new RemoteBuildSource(remote.get()) : new StoreBuildSource(config);
    }
}
