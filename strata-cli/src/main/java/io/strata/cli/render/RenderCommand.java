package io.strata.cli.render;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata render}: prints what a build request turns into, without building anything. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render OpenShift build definitions and build plans from a build request.",
        subcommands = {RenderBuildConfigCommand.class, RenderPlanCommand.class})
public final class RenderCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
