package io.strata.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command: the entry point of the distribution. */
@Command(
        name = "strata",
        mixinStandardHelpOptions = true,
        versionProvider = StrataVersion.class,
        description = "Builds layered container images from source repositories.",
        exitCodeListHeading = "%nExit codes (docs/builds.md):%n",
        exitCodeList = {
            "0:success; the build is COMPLETE",
            "1:a failure with a reason code and a fix (a FAILED build, bad input, an unreachable service)",
            "2:bad usage (INVALID_USAGE)",
            "3:an internal error, a bug (INTERNAL_ERROR)",
            "4:the build was CANCELLED"})
public final class StrataCommand implements Runnable {
    /**
     * The subcommands, in the order help lists them. Not in the annotation: picocli builds the model of
     * every subcommand it is given (reflection over each command's options and mixins, and the classes they
     * load), which was most of a fresh JVM's start-up before any command ran; {@link CliRunner} gives it
     * only the one the command line names (docs/benchmarks.md, "CLI start-up").
     */
    public static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            io.strata.cli.demo.DemoCommand.class,
            io.strata.cli.build.BuildCommand.class,
            io.strata.cli.build.ListBuildsCommand.class,
            io.strata.cli.build.GetBuildCommand.class,
            io.strata.cli.build.BuildLogsCommand.class,
            io.strata.cli.build.CancelBuildCommand.class,
            io.strata.cli.build.WatchBuildCommand.class,
            io.strata.cli.build.GetBuildImageIdCommand.class,
            io.strata.cli.dockerfile.DockerfileCommand.class,
            io.strata.cli.render.RenderCommand.class,
            io.strata.cli.streams.StreamsCommand.class,
            io.strata.cli.serve.ServeCommand.class,
            io.strata.cli.tokens.TokensCommand.class,
            io.strata.cli.prune.PruneBuildsCommand.class,
            io.strata.cli.engines.EnginesCommand.class,
            io.strata.cli.autorebuild.AutorebuildCommand.class,
            io.strata.cli.verify.VerifyCommand.class,
            io.strata.cli.worker.WorkerCommand.class,
            io.strata.cli.controller.ControllerCommand.class,
            io.strata.cli.daemon.DaemonCommand.class);

    private final StrataEnvironment environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public StrataCommand(StrataEnvironment environment) {
        this.environment = environment;
    }

    /** Where every subcommand reads environment variables, the default config file and the home from. */
    public StrataEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(CliRunner.run(StrataEnvironment.ofThisProcess(), args));
    }
}
