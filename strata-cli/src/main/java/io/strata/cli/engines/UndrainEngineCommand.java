package io.strata.cli.engines;

import io.strata.core.StrataException;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import picocli.CommandLine.Command;

/** {@code strata engines undrain NAME}: the engine or platform claims queued builds again. */
@Command(name = "undrain", mixinStandardHelpOptions = true,
        description = "Put an engine or platform back in rotation: its queued builds start again.")
public final class UndrainEngineCommand extends RotationCommand {
    @Override
    EngineStatus change(EngineService engines, String name, Caller caller) throws StrataException {
        return engines.undrain(name, caller);
    }

    @Override
    String said(EngineStatus status) {
        return "is back in rotation: " + status.queued() + " queued builds may start";
    }
}
