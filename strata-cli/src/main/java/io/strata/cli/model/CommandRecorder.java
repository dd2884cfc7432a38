package io.strata.cli.model;

import io.strata.cli.StrataCommand;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Records, when the command line is built (Maven's process-classes phase, strata-cli/pom.xml), what
 * picocli reads from the annotations of every Strata command ({@link RecordedCommand}), taken from the
 * model picocli itself makes of them, so the replay ({@link CommandModels}) gives the same model. A
 * command picocli models with something the recording does not carry (an argument group, annotated
 * methods) is left out; it is modelled from its annotations at run time, as before.
 * {@code CommandModelsTest} holds every recorded command's replay to its annotations' model.
 */
public final class CommandRecorder {
    /** The picocli mixin that {@code mixinStandardHelpOptions} adds (picocli's own key for it). */
    static final String STANDARD_HELP = "mixinStandardHelpOptions";

    private CommandRecorder() {}

    /** Writes the recording of every command Strata has to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Map<String, RecordedCommand> recorded = recordAll();
        Files.createDirectories(out.getParent());
        Path partial = out.resolveSibling(out.getFileName() + ".tmp");
        try (DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(partial)))) {
            RecordedCommand.writeAll(recorded.values(), data);
        }
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every command of the {@code strata} tree that can be recorded, by class name. */
    static Map<String, RecordedCommand> recordAll() {
        Map<String, RecordedCommand> recorded = new LinkedHashMap<>();
        Deque<Class<?>> commands = new ArrayDeque<>();
        commands.add(StrataCommand.class);
        StrataCommand.SUBCOMMANDS.stream().filter(type -> type != CommandLine.HelpCommand.class).forEach(commands::add);
        while (!commands.isEmpty()) {
            Class<?> type = commands.poll();
            if (recorded.containsKey(type.getName())) {
                continue;
            }
            CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
            Arrays.stream(command.subcommands()).forEach(commands::add);
            record(type).ifPresent(model -> recorded.put(type.getName(), model));
        }
        return recorded;
    }

    /** The recording of command class {@code type}; empty when it uses what the recording does not carry. */
    static Optional<RecordedCommand> record(Class<?> type) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(instance(type));
        if (!recordable(spec)) {
            return Optional.empty();
        }
        CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
        List<String> subcommands = Arrays.stream(command.subcommands()).map(Class::getName).toList();
        return Optional.of(model(spec, type, subcommands, false));
    }

    /** {@code mixin}: the model of a mixin of a command, which has no name, subcommands or standard help of its own. */
    private static RecordedCommand model(CommandSpec spec, Class<?> type, List<String> subcommands, boolean mixin) {
        List<RecordedCommand.Member> members = new ArrayList<>();
        List<RecordedCommand.SpecField> specFields = new ArrayList<>();
        for (Class<?> declaring : hierarchy(type)) {
            for (Field field : declaring.getDeclaredFields()) {
                String name = declaring.getName() + "#" + field.getName();
                CommandLine.Mixin mixinAnnotation = field.getAnnotation(CommandLine.Mixin.class);
                if (mixinAnnotation != null) {
                    String mixinName = mixinAnnotation.name().isEmpty() ? field.getName() : mixinAnnotation.name();
                    CommandSpec mixinSpec = spec.mixins().get(mixinName);
                    members.add(new RecordedCommand.Mixin(mixinName, name, model(mixinSpec, field.getType(), List.of(), true)));
                } else if (field.isAnnotationPresent(CommandLine.Option.class) || field.isAnnotationPresent(CommandLine.Parameters.class)) {
                    members.add(arg(argOf(spec, field), name, candidatesNamedOn(field)));
                } else if (field.isAnnotationPresent(CommandLine.Spec.class)) {
                    specFields.add(new RecordedCommand.SpecField(name,
                            field.getAnnotation(CommandLine.Spec.class).value() == CommandLine.Spec.Target.MIXEE));
                }
            }
        }
        CommandSpec help = spec.mixins().get(STANDARD_HELP);
        if (help != null && !mixin) {
            // Added last, as picocli adds them; bound to nothing of Strata's (picocli reads the flags, not the fields).
            List<RecordedCommand.Member> helpOptions = help.options().stream().map(option -> (RecordedCommand.Member) arg(option, "", "")).toList();
            members.add(new RecordedCommand.Mixin(STANDARD_HELP, "", new RecordedCommand(help.userObject().getClass().getName(), "",
                    List.of(), "", List.of(), List.of(), List.of(), "", Map.of(), List.of(), helpOptions, List.of())));
        }
        var usage = spec.usageMessage();
        String versionProvider = spec.versionProvider() == null ? "" : spec.versionProvider().getClass().getName();
        return new RecordedCommand(type.getName(), mixin ? "" : spec.name(), List.of(spec.aliases()), versionProvider,
                List.of(usage.description()), List.of(usage.header()), List.of(usage.footer()), usage.exitCodeListHeading(),
                new LinkedHashMap<>(usage.exitCodeList()), subcommands, members, specFields);
    }

    /** What a replay cannot give: argument groups, annotated methods, unmatched-argument fields, a parent command field. */
    private static boolean recordable(CommandSpec spec) {
        if (!spec.argGroups().isEmpty() || !spec.unmatchedArgsBindings().isEmpty()) {
            return false;
        }
        for (CommandSpec mixin : spec.mixins().values()) {
            if (!recordable(mixin)) {
                return false;
            }
        }
        Object user = spec.userObject();
        for (Class<?> declaring : hierarchy(user.getClass())) {
            for (Method method : declaring.getDeclaredMethods()) {
                if (method.isAnnotationPresent(CommandLine.Option.class) || method.isAnnotationPresent(CommandLine.Parameters.class)
                        || method.isAnnotationPresent(CommandLine.Command.class) || method.isAnnotationPresent(CommandLine.Spec.class)) {
                    return false;
                }
            }
            for (Field field : declaring.getDeclaredFields()) {
                if (field.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ArgSpec argOf(CommandSpec spec, Field field) {
        return spec.args().stream().filter(arg -> field.equals(arg.userObject())).findFirst()
                .orElseThrow(() -> new IllegalStateException("picocli has no argument for " + field));
    }

    /** {@code candidates}: the class of completion candidates the annotation names, or empty (picocli's own, as for an enum). */
    private static RecordedCommand.Arg arg(ArgSpec arg, String field, String candidates) {
        // The builders hold the values as written, before picocli interpolates ${DEFAULT-VALUE} and the like.
        if (arg instanceof OptionSpec option) {
            OptionSpec.Builder raw = option.toBuilder();
            return new RecordedCommand.Arg(field, true, List.of(option.names()), "", arity(raw.arity()), raw.paramLabel(),
                    strings(raw.description()), arg.type().getName(), typeNames(arg.auxiliaryTypes()), nonNull(raw.splitRegex()),
                    raw.required(), raw.defaultValue(), raw.hidden(), classNames(raw.converters()),
                    candidates, option.usageHelp(), option.versionHelp());
        }
        PositionalParamSpec positional = (PositionalParamSpec) arg;
        PositionalParamSpec.Builder raw = positional.toBuilder();
        return new RecordedCommand.Arg(field, false, List.of(), arity(positional.index()), arity(raw.arity()), raw.paramLabel(),
                strings(raw.description()), arg.type().getName(), typeNames(arg.auxiliaryTypes()), nonNull(raw.splitRegex()),
                raw.required(), raw.defaultValue(), raw.hidden(), classNames(raw.converters()),
                candidates, false, false);
    }

    /** A range as written; empty when the annotation left it to picocli. */
    private static String arity(CommandLine.Range range) {
        return range == null || range.isUnspecified() ? "" : range.originalValue();
    }

    private static List<String> strings(String[] values) {
        return values == null ? List.of() : List.of(values);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static List<String> typeNames(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).toList();
    }

    private static List<String> classNames(Object[] instances) {
        return instances == null ? List.of() : Arrays.stream(instances).map(instance -> instance.getClass().getName()).toList();
    }

    /** The class of completion candidates the field's annotation names; empty when it names none. */
    private static String candidatesNamedOn(Field field) {
        CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
        Class<?> named = option != null ? option.completionCandidates() : field.getAnnotation(CommandLine.Parameters.class).completionCandidates();
        return named.getName().startsWith("picocli.") ? "" : named.getName();
    }

    /** {@code type} and its superclasses, the topmost first, as picocli reads them. */
    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
            classes.addFirst(at);
        }
        return classes;
    }

    /** An instance to model: the root command takes its environment only when it runs. */
    private static Object instance(Class<?> type) {
        if (type == StrataCommand.class) {
            return new StrataCommand(null);
        }
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("picocli makes " + type + " with its no-argument constructor, which failed", e);
        }
    }
}
