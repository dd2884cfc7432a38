package io.strata.cli.engines;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.remote.ServerOptions;
import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What drain and undrain share: the engine or platform named, the change, one line saying what it means. */
abstract class RotationCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "An engine (e.g. local, dry-run) or a platform (e.g. x86_64).")
    String name;

    @Spec
    CommandSpec spec;

    abstract EngineStatus change(EngineService engines, String name, Caller caller) throws StrataException;

    abstract String said(EngineStatus status);

    @Override
    public Integer call() throws StrataException {
        try (EngineAccess access = EngineAccess.open(configOptions, server, spec.commandLine().getErr())) {
            EngineStatus status = change(access.engines(), name, EngineAccess.localUser());
            spec.commandLine().getOut().println(status.kind() + " " + status.name() + " " + said(status));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
