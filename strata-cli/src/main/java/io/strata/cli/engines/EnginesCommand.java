package io.strata.cli.engines;

import picocli.CommandLine.Command;

/**
 * {@code strata engines list|drain NAME|undrain NAME}: engines and platforms in and out of rotation
 * (docs/service.md, "Engines"). On the store the configuration names, or with {@code --server}
 * through the build service's API (drain and undrain need an admin token).
 */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "List engines and platforms; drain or undrain one (take it out of rotation or back in).",
        subcommands = {ListEnginesCommand.class, DrainEngineCommand.class, UndrainEngineCommand.class})
public final class EnginesCommand {}
