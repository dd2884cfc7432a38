package io.strata.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cli.StrataCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The model replayed from the build's recording is picocli's model of the annotations: for every
 * command of the {@code strata} tree, the same help text and the same options, parameters, mixins,
 * subcommands and values (a command picocli would model differently from a replay, such as one with an
 * argument group, is left to its annotations, and only those are).
 */
class CommandModelsTest {
    static Stream<Class<?>> commands() {
        List<Class<?>> all = new ArrayList<>();
        List<Class<?>> pending = new ArrayList<>(StrataCommand.SUBCOMMANDS);
        pending.remove(CommandLine.HelpCommand.class);
        while (!pending.isEmpty()) {
            Class<?> type = pending.removeFirst();
            all.add(type);
            pending.addAll(Arrays.asList(type.getAnnotation(CommandLine.Command.class).subcommands()));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void theReplayedModelIsTheAnnotationsModel(Class<?> type) throws Exception {
        CommandLine annotated = new CommandLine(CommandLine.defaultFactory().create(type));
        // Without falling back to the annotations: a replay that fails fails here.
        Object command = CommandLine.defaultFactory().create(type);
        CommandLine replayed = CommandModels.replayed(command).orElseGet(() -> new CommandLine(command));

        assertThat(describe(replayed)).isEqualTo(describe(annotated));
        assertThat(replayed.getUsageMessage(CommandLine.Help.Ansi.OFF)).isEqualTo(annotated.getUsageMessage(CommandLine.Help.Ansi.OFF));
        assertThat(CommandModels.name(type)).isEqualTo(type.getAnnotation(CommandLine.Command.class).name());
        boolean argumentGroups = !annotated.getCommandSpec().argGroups().isEmpty();
        assertThat(CommandModels.isRecorded(type)).as("recorded unless it has argument groups").isEqualTo(!argumentGroups);
    }

    @Test
    void theRootCommandIsReplayedToo() {
        CommandLine annotated = new CommandLine(new StrataCommand(null));
        CommandLine replayed = CommandModels.replayed(new StrataCommand(null)).orElseThrow();

        assertThat(CommandModels.isRecorded(StrataCommand.class)).isTrue();
        assertThat(describe(replayed)).isEqualTo(describe(annotated));
        assertThat(replayed.getUsageMessage(CommandLine.Help.Ansi.OFF)).isEqualTo(annotated.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("Exit codes");
    }

    @Test
    void aReplayedCommandParsesIntoItsFieldsAndSpecs() {
        CommandLine replayed = CommandModels.replayed(new io.strata.cli.build.ListBuildsCommand()).orElseThrow();
        CommandLine.ParseResult parsed = replayed.parseArgs("--state", "FAILED", "--limit", "3");

        assertThat(parsed.matchedOptions()).hasSize(2);
        Object command = replayed.getCommand();
        assertThat(replayed.getCommandSpec().findOption("--limit").<Object>getValue()).isEqualTo(3);
        assertThat(String.valueOf(replayed.getCommandSpec().findOption("--state").<Object>getValue())).isEqualTo("FAILED");
        assertThat(replayed.getCommandSpec().userObject()).isSameAs(command);
    }

    @Test
    void aRecordingOlderThanTheClassesGivesWayToTheAnnotations() throws Exception {
        Class<?> type = io.strata.cli.build.ListBuildsCommand.class;
        RecordedCommand current = CommandModels.recordedModel(type).orElseThrow();
        // As if --limit's field had been renamed since the recording was made.
        List<RecordedCommand.Member> members = current.members().stream().map(member -> member instanceof RecordedCommand.Arg arg
                && arg.names().contains("--limit") ? new RecordedCommand.Arg(arg.field() + "Renamed", arg.option(), arg.names(),
                        arg.index(), arg.arity(), arg.paramLabel(), arg.description(), arg.type(), arg.auxiliaryTypes(),
                        arg.splitRegex(), arg.required(), arg.defaultValue(), arg.hidden(), arg.converters(),
                        arg.completionCandidates(), arg.usageHelp(), arg.versionHelp()) : member).toList();
        RecordedCommand stale = new RecordedCommand(current.type(), current.name(), current.aliases(), current.versionProvider(),
                current.description(), current.header(), current.footer(), current.exitCodeListHeading(), current.exitCodeList(),
                current.subcommands(), members, current.specFields());

        Object command = CommandLine.defaultFactory().create(type);
        assertThatThrownBy(() -> CommandModels.replay(command, stale)).isInstanceOf(CommandLine.InitializationException.class)
                .hasMessageContaining("build the command line again");
        CommandLine given = CommandModels.commandLine(CommandLine.defaultFactory().create(type), stale);
        assertThat(describe(given)).isEqualTo(describe(new CommandLine(CommandLine.defaultFactory().create(type))));
        assertThat(given.parseArgs("--limit", "7").matchedOptions()).hasSize(1);
    }

    /** Everything of a model that parsing or help reads, subcommands and mixins included, as text. */
    static String describe(CommandLine commandLine) {
        StringBuilder text = new StringBuilder();
        describe(commandLine.getCommandSpec(), "", text);
        return text.toString();
    }

    private static void describe(CommandSpec spec, String indent, StringBuilder text) {
        var usage = spec.usageMessage();
        text.append(indent).append("command ").append(spec.name()).append(" aliases ").append(Arrays.toString(spec.aliases()))
                .append(" version ").append(Arrays.toString(spec.version()))
                .append(" mixinStandardHelpOptions ").append(spec.mixinStandardHelpOptions()).append('\n')
                .append(indent).append(" usage ").append(Arrays.toString(usage.description())).append(Arrays.toString(usage.header()))
                .append(Arrays.toString(usage.footer())).append(usage.exitCodeListHeading()).append(usage.exitCodeList())
                .append(usage.sortOptions()).append(usage.showDefaultValues()).append(usage.abbreviateSynopsis()).append('\n');
        for (OptionSpec option : spec.options()) {
            text.append(indent).append(" option ").append(Arrays.toString(option.names())).append(" usageHelp ").append(option.usageHelp())
                    .append(" versionHelp ").append(option.versionHelp()).append(" negatable ").append(option.negatable())
                    .append(" order ").append(option.order());
            arg(option, text);
            text.append('\n');
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            text.append(indent).append(" positional ").append(positional.index());
            arg(positional, text);
            text.append('\n');
        }
        spec.mixins().forEach((name, mixin) -> {
            text.append(indent).append(" mixin ").append(name).append('\n');
            describe(mixin, indent + "  ", text);
        });
        spec.subcommands().forEach((name, sub) -> {
            text.append(indent).append(" subcommand ").append(name).append('\n');
            describe(sub.getCommandSpec(), indent + "  ", text);
        });
    }

    private static void arg(ArgSpec arg, StringBuilder text) {
        text.append(" arity ").append(arg.arity()).append(arg.arity().isUnspecified() ? " (unspecified)" : "")
                .append(" type ").append(arg.type().getName()).append(Arrays.toString(arg.auxiliaryTypes()))
                .append(" label ").append(arg.paramLabel()).append(" description ").append(Arrays.toString(arg.description()))
                .append(" default ").append(arg.defaultValue()).append(" initial ").append(arg.initialValue())
                .append(" hasInitial ").append(arg.hasInitialValue()).append(" hidden ").append(arg.hidden())
                .append(" required ").append(arg.required()).append(" split ").append(arg.splitRegex())
                .append(" converters ").append(Arrays.stream(arg.converters()).map(c -> c.getClass().getName()).toList())
                .append(" candidates ").append(arg.completionCandidates() == null ? "none" : String.join(",", arg.completionCandidates()))
                .append(" interactive ").append(arg.interactive()).append(" inherited ").append(arg.inherited())
                .append(" scope ").append(arg.scopeType()).append(" showDefault ").append(arg.showDefaultValue())
                .append(" value ").append(String.valueOf((Object) arg.getValue()));
    }
}
