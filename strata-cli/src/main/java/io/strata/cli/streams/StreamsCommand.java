package io.strata.cli.streams;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata streams}: CI-equivalent images for a group's image streams. */
@Command(
        name = "streams",
        description = "Generate CI build definitions for image streams.",
        mixinStandardHelpOptions = true,
        subcommands = {GenBuildconfigsCommand.class})
public final class StreamsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
