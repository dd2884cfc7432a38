package io.strata.cli.render;

import picocli.CommandLine.Command;

/** Placeholder registered in {@code StrataCommand}; its owner replaces it with the real subcommands. */
@Command(name = "render", description = "Render OpenShift build definitions and build plans from a build request.", mixinStandardHelpOptions = true)
public final class RenderCommand {
}
