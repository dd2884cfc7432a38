package io.strata.cli.dockerfile;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata dockerfile}: inspect and edit Dockerfiles with the lossless parser of strata-dockerfile. */
@Command(name = "dockerfile", description = "Inspect and edit Dockerfiles (lossless parser and editor).",
        mixinStandardHelpOptions = true,
        subcommands = {InspectDockerfileCommand.class, EditDockerfileCommand.class})
public final class DockerfileCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
