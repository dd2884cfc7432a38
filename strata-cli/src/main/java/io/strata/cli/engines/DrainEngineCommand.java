package io.strata.cli.engines;

import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import picocli.CommandLine.Command;

/** {@code strata engines drain NAME}: running builds of the engine or platform finish, new ones wait PENDING. */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Take an engine or platform out of rotation: its running builds finish, new ones wait.")
public final class DrainEngineCommand extends RotationCommand {
    @Override
    EngineStatus change(EngineService engines, String name, Caller caller) throws StrataException {
        return engines.drain(name, caller);
    }

    @Override
    String said(EngineStatus status) {
        return "drained: " + status.running() + " running builds finish, " + status.queued()
                + " queued wait until `strata engines undrain " + status.name() + "`";
    }
}
