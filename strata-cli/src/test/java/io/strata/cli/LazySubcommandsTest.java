package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * The command line builds picocli's model of the subcommand it runs only (start-up: docs/benchmarks.md,
 * "CLI start-up"), and what the user sees is the same as with the whole tree.
 */
class LazySubcommandsTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(CliRunner.subcommandsFor("build", "--git-uri", "x")).containsExactly(io.strata.cli.build.BuildCommand.class);
        assertThat(CliRunner.subcommandsFor("list-builds")).containsExactly(io.strata.cli.build.ListBuildsCommand.class);
        assertThat(CliRunner.subcommandsFor("--version")).isEmpty();
    }

    @Test
    void usageHelpAndMisspeltNamesGetEverySubcommand() {
        assertThat(CliRunner.subcommandsFor()).isEqualTo(StrataCommand.SUBCOMMANDS);
        assertThat(CliRunner.subcommandsFor("--help")).isEqualTo(StrataCommand.SUBCOMMANDS);
        assertThat(CliRunner.subcommandsFor("help", "build")).isEqualTo(StrataCommand.SUBCOMMANDS);
        assertThat(CliRunner.subcommandsFor("biuld")).isEqualTo(StrataCommand.SUBCOMMANDS);
        assertThat(CliRunner.subcommandsFor("--version", "build")).isEqualTo(StrataCommand.SUBCOMMANDS);
    }

    @Test
    void everySubcommandAloneShowsTheSameHelpAsInTheWholeTree() {
        CommandLine whole = new CommandLine(new StrataCommand(StrataEnvironment.ofThisProcess()));
        StrataCommand.SUBCOMMANDS.forEach(whole::addSubcommand);
        for (Class<?> subcommand : StrataCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            if (name.equals("help")) {
                continue;
            }
            TestCli.Run alone = TestCli.in(Path.of("target")).run(name, "--help");

            assertThat(alone.exit()).as(name).isZero();
            assertThat(alone.out()).as(name).isEqualTo(whole.getSubcommands().get(name).getUsageMessage());
        }
    }

    @Test
    void theUsageListsEverySubcommandAndAMisspeltOneIsAUsageError() {
        TestCli.Run usage = TestCli.in(Path.of("target")).run("--help");
        TestCli.Run misspelt = TestCli.in(Path.of("target")).run("biuld");
        TestCli.Run version = TestCli.in(Path.of("target")).run("--version");

        assertThat(usage.out()).contains("  build ", "  list-builds ", "  controller ", "  help ");
        assertThat(misspelt.exit()).isEqualTo(CliRunner.EXIT_USAGE);
        assertThat(misspelt.err()).isEqualTo("strata: Unmatched argument at index 0: 'biuld' [INVALID_USAGE]\n"
                + "  fix: see `strata --help`\n");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("strata ");
    }
}
