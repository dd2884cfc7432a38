package io.strata.cli.streams;

import picocli.CommandLine.Command;

/** Placeholder registered in {@code StrataCommand}; its owner replaces it with the real subcommands. */
@Command(name = "streams", description = "Generate CI build definitions for image streams.", mixinStandardHelpOptions = true)
public final class StreamsCommand {
}
