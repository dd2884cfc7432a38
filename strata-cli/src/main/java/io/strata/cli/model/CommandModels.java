package io.strata.cli.model;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's model of a command, replayed from the recording made when the command line was built
 * ({@link RecordedCommand}, {@link CommandRecorder}) instead of read from its annotations: the same
 * options, parameters, mixins, specs, help and subcommands, bound to the same fields. A command with no
 * recording (one the recorder leaves out, or a build without the recording) is modelled from its
 * annotations, as picocli always does. Maven writes the recording whenever it compiles this module
 * (process-classes); a recording older than the annotations (classes compiled by an IDE alone) fails
 * {@code CommandModelsTest}, and a field it names that is gone fails the command with "build the command
 * line again".
 */
public final class CommandModels {
    /** Where the build puts the recording (strata-cli/pom.xml), in the command line's jar. */
    static final String RESOURCE = "META-INF/strata/commands.model";

    private static final CommandLine.IFactory FACTORY = CommandLine.defaultFactory();
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "int", int.class,
            "long", long.class, "double", double.class, "float", float.class, "short", short.class, "byte", byte.class,
            "char", char.class);

    private static volatile Recording recorded;

    private CommandModels() {}

    /**
     * A command line for {@code command}: its recorded model replayed, or its annotations read when it has none
     * or its replay fails (a recording older than the classes): the annotations are what a command is.
     */
    public static CommandLine commandLine(Object command) {
        return commandLine(command, recorded().get(command.getClass().getName()));
    }

    /** {@code command}'s command line from {@code model} (null: none), else from its annotations. */
    static CommandLine commandLine(Object command, RecordedCommand model) {
        if (model != null) {
            try {
                return new CommandLine(replay(command, model), FACTORY);
            } catch (CommandLine.PicocliException stale) {
                // The annotations below set every field the replay may have set.
            }
        }
        return new CommandLine(command, FACTORY);
    }

    /** The recorded model of {@code command} replayed, failing as the replay fails; empty when it has none: for tests. */
    static Optional<CommandLine> replayed(Object command) {
        return Optional.ofNullable(recorded().get(command.getClass().getName()))
                .map(model -> new CommandLine(replay(command, model), FACTORY));
    }

    /** The recorded model of command class {@code type}, if it has one: for tests. */
    static Optional<RecordedCommand> recordedModel(Class<?> type) {
        return Optional.ofNullable(recorded().get(type.getName()));
    }

    /** A command line for a new instance of command class {@code type}, made as picocli makes subcommands. */
    public static CommandLine commandLine(Class<?> type) {
        try {
            return commandLine(FACTORY.create(type));
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot make the command " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The name of command class {@code type}: recorded, else read from its {@code @Command} annotation (the
     * first annotation a command's start would read costs the JDK's whole annotation set-up).
     */
    public static String name(Class<?> type) {
        String name = recorded().name(type.getName());
        return name != null ? name : type.getAnnotation(CommandLine.Command.class).name();
    }

    /** Whether {@code type} has a recorded model: for tests. */
    static boolean isRecorded(Class<?> type) {
        return recorded().contains(type.getName());
    }

    /** The recorded commands, by class name, each parsed when first asked for. */
    private static final class Recording {
        static final Recording NONE = new Recording(RecordedCommand.Index.NONE);

        private final RecordedCommand.Index index;
        private final Map<String, RecordedCommand> parsed = new java.util.concurrent.ConcurrentHashMap<>();

        Recording(RecordedCommand.Index index) {
            this.index = index;
        }

        boolean contains(String type) {
            return index.models().containsKey(type);
        }

        String name(String type) {
            return index.names().get(type);
        }

        /** The model of {@code type}; null when it has none (or its bytes cannot be read: it reads its annotations). */
        RecordedCommand get(String type) {
            byte[] model = index.models().get(type);
            if (model == null) {
                return null;
            }
            return parsed.computeIfAbsent(type, unread -> {
                try {
                    return RecordedCommand.parse(model);
                } catch (IOException e) {
                    return null;
                }
            });
        }
    }

    private static Recording recorded() {
        Recording known = recorded;
        if (known == null) {
            known = read();
            recorded = known;
        }
        return known;
    }

    /**
     * Every recorded command, each parsed only when asked for (a command needs two of about forty). Read from
     * this class's own jar or classes directory, not through the class loader: its resource look-up (the boot
     * layer's modules first, then a URL connection) cost about 10 ms of a fresh JVM. Empty when there is no
     * recording of this format, or it cannot be read: then every command reads its annotations.
     */
    private static Recording read() {
        try {
            byte[] recording = recording();
            return new Recording(recording == null ? RecordedCommand.Index.NONE : RecordedCommand.readIndex(recording));
        } catch (IOException | RuntimeException e) {
            return Recording.NONE; // unreadable: every command reads its annotations, as without a recording
        }
    }

    /** The recording's bytes from where this class was loaded (a jar or a classes directory); null when it has none. */
    private static byte[] recording() throws IOException {
        java.nio.file.Path location;
        try {
            location = java.nio.file.Path.of(CommandModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        if (java.nio.file.Files.isDirectory(location)) {
            java.nio.file.Path file = location.resolve(RESOURCE);
            return java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.readAllBytes(file) : null;
        }
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(location.toFile())) {
            java.util.zip.ZipEntry entry = jar.getEntry(RESOURCE);
            if (entry == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    /** The spec of {@code command} made from {@code model}, in the order picocli makes one from annotations. */
    static CommandSpec replay(Object command, RecordedCommand model) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command, FACTORY);
        if (!model.name().isEmpty()) {
            spec.name(model.name());
        }
        if (!model.aliases().isEmpty()) {
            spec.aliases(model.aliases().toArray(String[]::new));
        }
        if (!model.versionProvider().isEmpty()) {
            spec.versionProvider((CommandLine.IVersionProvider) create(model.versionProvider()));
        }
        spec.usageMessage().description(array(model.description())).header(array(model.header()))
                .footer(array(model.footer())).exitCodeListHeading(model.exitCodeListHeading())
                .exitCodeList(model.exitCodeList());
        for (String subcommand : model.subcommands()) {
            CommandLine sub = commandLine(type(subcommand));
            spec.addSubcommand(sub.getCommandSpec().name(), sub);
        }
        // instanceof, not a switch on the sealed type: its first run spins method handles a fresh JVM pays for.
        for (RecordedCommand.Member member : model.members()) {
            if (member instanceof RecordedCommand.Arg arg) {
                if (arg.option()) {
                    spec.addOption(option(arg, command));
                } else {
                    spec.addPositional(positional(arg, command));
                }
            } else if (member instanceof RecordedCommand.Mixin mixin) {
                // The standard help options have no field: picocli reads their flags, not a mixin's fields.
                Object instance = mixin.field().isEmpty() ? new Object()
                        : FieldBinding.of(mixin.field(), command).setTo(create(mixin.model().type()));
                CommandSpec mixinSpec = replay(instance, mixin.model());
                spec.addMixin(mixin.name(), mixinSpec);
                for (RecordedCommand.SpecField field : mixin.model().specFields()) {
                    if (field.mixee()) {
                        FieldBinding.of(field.field(), instance).set(spec);
                    }
                }
            }
        }
        for (RecordedCommand.SpecField field : model.specFields()) {
            if (!field.mixee()) {
                FieldBinding.of(field.field(), command).set(spec);
            }
        }
        return spec;
    }

    private static OptionSpec option(RecordedCommand.Arg arg, Object owner) {
        Values values = Values.of(arg, owner);
        OptionSpec.Builder builder = OptionSpec.builder(arg.names().toArray(String[]::new))
                .usageHelp(arg.usageHelp()).versionHelp(arg.versionHelp())
                .paramLabel(arg.paramLabel()).description(array(arg.description())).type(values.type())
                .auxiliaryTypes(values.auxiliaryTypes()).required(arg.required()).defaultValue(arg.defaultValue())
                .hidden(arg.hidden()).converters(values.converters()).completionCandidates(values.candidates())
                .getter(values.binding()).setter(values.binding()).initialValue(values.initial()).hasInitialValue(true);
        if (!arg.arity().isEmpty()) {
            builder.arity(arg.arity());
        }
        if (!arg.splitRegex().isEmpty()) {
            builder.splitRegex(arg.splitRegex());
        }
        return builder.build();
    }

    /** As {@link #option}: picocli's two builders share their setters only through a class it does not make public. */
    private static PositionalParamSpec positional(RecordedCommand.Arg arg, Object owner) {
        Values values = Values.of(arg, owner);
        PositionalParamSpec.Builder builder = PositionalParamSpec.builder()
                .paramLabel(arg.paramLabel()).description(array(arg.description())).type(values.type())
                .auxiliaryTypes(values.auxiliaryTypes()).required(arg.required()).defaultValue(arg.defaultValue())
                .hidden(arg.hidden()).converters(values.converters()).completionCandidates(values.candidates())
                .getter(values.binding()).setter(values.binding()).initialValue(values.initial()).hasInitialValue(true);
        if (!arg.index().isEmpty()) {
            builder.index(arg.index());
        }
        if (!arg.arity().isEmpty()) {
            builder.arity(arg.arity());
        }
        if (!arg.splitRegex().isEmpty()) {
            builder.splitRegex(arg.splitRegex());
        }
        return builder.build();
    }

    /**
     * The values of a recorded argument that are made at run time: its classes, converters, candidates and binding,
     * with the value its field has when the command is made (picocli resets the field to it before each parse).
     */
    private record Values(Class<?> type, Class<?>[] auxiliaryTypes, CommandLine.ITypeConverter<?>[] converters,
            Iterable<String> candidates, Binding binding, Object initial) {
        @SuppressWarnings("unchecked")
        static Values of(RecordedCommand.Arg arg, Object owner) {
            Binding binding = arg.field().isEmpty() ? new Holder(arg.type().equals("boolean") ? Boolean.FALSE : null)
                    : FieldBinding.of(arg.field(), owner);
            return new Values(CommandModels.type(arg.type()), arg.auxiliaryTypes().stream().map(CommandModels::type).toArray(Class<?>[]::new),
                    arg.converters().stream().map(CommandModels::create).toArray(CommandLine.ITypeConverter<?>[]::new),
                    arg.completionCandidates().isEmpty() ? null : (Iterable<String>) create(arg.completionCandidates()),
                    binding, binding.get());
        }
    }

    /** Where an option's value goes. */
    private sealed interface Binding extends IGetter, ISetter permits FieldBinding, Holder {
        @Override
        <T> T get();

        @Override
        <T> T set(T value);
    }

    /** A field of an instance, as picocli binds an annotated field. */
    private record FieldBinding(Field field, Object owner) implements Binding {
        static FieldBinding of(String declaringAndName, Object owner) {
            int hash = declaringAndName.indexOf('#');
            try {
                Field field = type(declaringAndName.substring(0, hash)).getDeclaredField(declaringAndName.substring(hash + 1));
                field.setAccessible(true);
                return new FieldBinding(field, owner);
            } catch (NoSuchFieldException e) {
                throw new CommandLine.InitializationException("the recorded commands name a field that is gone: " + declaringAndName
                        + "; build the command line again", e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            try {
                return (T) field.get(owner);
            } catch (IllegalAccessException e) {
                throw new CommandLine.PicocliException("cannot read " + field, e);
            }
        }

        /** Sets the field to {@code value} and returns {@code value}. */
        <T> T setTo(T value) {
            set(value);
            return value;
        }

        @Override
        public <T> T set(T value) {
            try {
                T previous = get();
                field.set(owner, value);
                return previous;
            } catch (IllegalAccessException e) {
                throw new CommandLine.PicocliException("cannot set " + field, e);
            }
        }
    }

    /** Where the standard help options keep their values (picocli reads the flags, not a field). */
    private static final class Holder implements Binding {
        private Object value;

        Holder(Object initial) {
            value = initial;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T newValue) {
            T previous = (T) value;
            value = newValue;
            return previous;
        }
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    private static Class<?> type(String name) {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(name, false, CommandModels.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CommandLine.InitializationException("the recorded commands name a class that is gone: " + name
                    + "; build the command line again", e);
        }
    }

    private static Object create(String type) {
        try {
            return FACTORY.create(type(type));
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot make " + type + ": " + e.getMessage(), e);
        }
    }
}
