package io.strata.cli.dockerfile;

import picocli.CommandLine.Command;

/** Placeholder registered in {@code StrataCommand}; its owner replaces it with the real subcommands. */
@Command(name = "dockerfile", description = "Inspect and edit Dockerfiles (lossless parser and editor).", mixinStandardHelpOptions = true)
public final class DockerfileCommand {
}
