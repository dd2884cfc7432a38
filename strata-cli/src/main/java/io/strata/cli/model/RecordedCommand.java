package io.strata.cli.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What picocli reads from one command class's annotations ({@code @Command}, {@code @Option},
 * {@code @Parameters}, {@code @Mixin}, {@code @Spec}), recorded when the command line is built
 * ({@link CommandRecorder}) so that a command's start replays it ({@link CommandModels}) instead of
 * reading the annotations: annotation proxies, which JDK 25's start-up cache does not hold, were most of
 * the 60-90 ms picocli took to model a command in a fresh JVM (docs/benchmarks.md, "Whole CLI").
 *
 * @param type        the command class (or mixin class)
 * @param name        the command's name; empty for a mixin
 * @param versionProvider the version provider class; empty for none
 * @param subcommands the classes of the {@code subcommands} attribute, in order
 * @param members     options, positional parameters and mixins, in the order picocli adds them
 * @param specFields  fields that receive a {@code CommandSpec}
 */
public record RecordedCommand(String type, String name, List<String> aliases, String versionProvider,
        List<String> description, List<String> header, List<String> footer, String exitCodeListHeading,
        Map<String, String> exitCodeList, List<String> subcommands, List<Member> members, List<SpecField> specFields) {

    /** An option, a positional parameter or a mixin of a command. */
    public sealed interface Member permits Arg, Mixin {}

    /**
     * An option or positional parameter, with the values picocli holds before interpolation.
     *
     * @param field    {@code declaring.Class#name} of the field it binds to; empty for the standard help options
     * @param arity    the arity as written, empty when the annotation left it to the type
     * @param index    a positional parameter's index as written; empty for an option
     * @param converters classes of its converters; {@code completionCandidates} a class of its own, or empty
     */
    public record Arg(String field, boolean option, List<String> names, String index, String arity, String paramLabel,
            List<String> description, String type, List<String> auxiliaryTypes, String splitRegex, boolean required,
            String defaultValue, boolean hidden, List<String> converters, String completionCandidates, boolean usageHelp,
            boolean versionHelp) implements Member {}

    /** A mixin: its name, the field it is set into (empty for the standard help options) and its own record. */
    public record Mixin(String name, String field, RecordedCommand model) implements Member {}

    /** A {@code @Spec} field: {@code mixee} when it receives the spec of the command the mixin is part of. */
    public record SpecField(String field, boolean mixee) {}

    /** Format version of the recording: a recording of another version is ignored (annotations are read). */
    static final int FORMAT = 3;

    /**
     * The recording file, read as far as its index: each command's name and unparsed bytes by class name, so a
     * command's start finds the subcommand the command line names without reading an annotation and parses
     * only the models it needs ({@link #parse}).
     */
    record Index(Map<String, String> names, Map<String, byte[]> models) {
        static final Index NONE = new Index(Map.of(), Map.of());
    }

    /** Writes the recording of {@code commands}: the format, then each command's class, name and bytes. */
    static void writeAll(java.util.Collection<RecordedCommand> commands, DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(commands.size());
        for (RecordedCommand command : commands) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (DataOutputStream one = new DataOutputStream(bytes)) {
                command.write(one);
            }
            out.writeUTF(command.type());
            out.writeUTF(command.name());
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
    }

    /** The index of a recording written by {@link #writeAll}; {@link Index#NONE} for a recording of another format. */
    static Index readIndex(byte[] recording) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(recording));
        if (in.readInt() != FORMAT) {
            return Index.NONE;
        }
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, byte[]> models = new java.util.HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String type = in.readUTF();
            names.put(type, in.readUTF());
            byte[] model = new byte[in.readInt()];
            in.readFully(model);
            models.put(type, model);
        }
        return new Index(names, models);
    }

    /** One command's model from its bytes in the index. */
    static RecordedCommand parse(byte[] model) throws IOException {
        return read(new DataInputStream(new java.io.ByteArrayInputStream(model)));
    }

    private void write(DataOutputStream out) throws IOException {
        out.writeUTF(type);
        out.writeUTF(name);
        writeList(out, aliases);
        out.writeUTF(versionProvider);
        writeList(out, description);
        writeList(out, header);
        writeList(out, footer);
        out.writeUTF(exitCodeListHeading);
        out.writeInt(exitCodeList.size());
        for (Map.Entry<String, String> entry : exitCodeList.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
        writeList(out, subcommands);
        out.writeInt(members.size());
        for (Member member : members) {
            switch (member) {
                case Arg arg -> {
                    out.writeByte('a');
                    out.writeUTF(arg.field());
                    out.writeBoolean(arg.option());
                    writeList(out, arg.names());
                    out.writeUTF(arg.index());
                    out.writeUTF(arg.arity());
                    out.writeUTF(arg.paramLabel());
                    writeList(out, arg.description());
                    out.writeUTF(arg.type());
                    writeList(out, arg.auxiliaryTypes());
                    out.writeUTF(arg.splitRegex());
                    out.writeBoolean(arg.required());
                    writeNullable(out, arg.defaultValue());
                    out.writeBoolean(arg.hidden());
                    writeList(out, arg.converters());
                    out.writeUTF(arg.completionCandidates());
                    out.writeBoolean(arg.usageHelp());
                    out.writeBoolean(arg.versionHelp());
                }
                case Mixin mixin -> {
                    out.writeByte('m');
                    out.writeUTF(mixin.name());
                    out.writeUTF(mixin.field());
                    mixin.model().write(out);
                }
            }
        }
        out.writeInt(specFields.size());
        for (SpecField spec : specFields) {
            out.writeUTF(spec.field());
            out.writeBoolean(spec.mixee());
        }
    }

    private static RecordedCommand read(DataInputStream in) throws IOException {
        String type = in.readUTF();
        String name = in.readUTF();
        List<String> aliases = readList(in);
        String versionProvider = in.readUTF();
        List<String> description = readList(in);
        List<String> header = readList(in);
        List<String> footer = readList(in);
        String exitCodeListHeading = in.readUTF();
        Map<String, String> exitCodeList = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            exitCodeList.put(in.readUTF(), in.readUTF());
        }
        List<String> subcommands = readList(in);
        List<Member> members = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            int kind = in.readByte();
            members.add(switch (kind) {
                case 'a' -> new Arg(in.readUTF(), in.readBoolean(), readList(in), in.readUTF(), in.readUTF(), in.readUTF(),
                        readList(in), in.readUTF(), readList(in), in.readUTF(), in.readBoolean(), readNullable(in),
                        in.readBoolean(), readList(in), in.readUTF(), in.readBoolean(), in.readBoolean());
                case 'm' -> new Mixin(in.readUTF(), in.readUTF(), read(in));
                default -> throw new IOException("unknown member kind " + kind + " in the recorded commands");
            });
        }
        List<SpecField> specFields = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            specFields.add(new SpecField(in.readUTF(), in.readBoolean()));
        }
        return new RecordedCommand(type, name, aliases, versionProvider, description, header, footer, exitCodeListHeading,
                exitCodeList, subcommands, members, specFields);
    }

    private static void writeList(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = in.readInt();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
