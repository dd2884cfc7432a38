package io.strata.dockerfile;

import io.strata.dockerfile.Arguments.ArgDeclarations;
import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.FromImage;
import io.strata.dockerfile.Arguments.KeyValues;
import io.strata.dockerfile.Arguments.ShellForm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The build-time meaning of the instructions: which stages there are and what each one declares.
 * Variable scoping follows BuildKit: ARGs before the first FROM (global ARGs) expand in each other's
 * defaults and in FROM lines, and give their value to a stage's bare {@code ARG NAME}; each stage starts
 * with no variables; a stage ARG's default expands with the stage's variables; ENV wins over ARG of the
 * same name; a build argument overrides an ARG's default but only once the ARG is declared.
 *
 * <p>A stage is a FROM with an image word. A file without one is a fragment: its view covers all its
 * instructions, as dockerfile-parse reads it. A word whose quoting or {@code ${...}} syntax the build
 * would reject (already a {@link Problem}) is kept as written, so the rest can still be read.
 */
final class StageEvaluator {
    private final List<Instruction> instructions;
    private final char escape;
    /** Index into {@code instructions} of each stage's FROM. */
    private final int[] fromIndexes;
    /** Index just past each stage's last instruction (the next FROM of any kind, or the end). */
    private final int[] endIndexes;
    /** Index of the first FROM of any kind: the global ARGs come before it. */
    private final int firstFrom;

    StageEvaluator(List<Instruction> instructions, char escape) {
        this.instructions = instructions;
        this.escape = escape;
        int count = 0;
        int first = instructions.size();
        for (int i = 0; i < instructions.size(); i++) {
            Instruction instruction = instructions.get(i);
            if (instruction.keyword().equals("FROM")) {
                first = Math.min(first, i);
                if (instruction.arguments() instanceof FromImage) {
                    count++;
                }
            }
        }
        firstFrom = first;
        fromIndexes = new int[count];
        endIndexes = new int[count];
        int k = 0;
        for (int i = 0; i < instructions.size(); i++) {
            Instruction instruction = instructions.get(i);
            if (instruction.keyword().equals("FROM")) {
                if (k > 0 && endIndexes[k - 1] == 0) {
                    endIndexes[k - 1] = i;
                }
                if (instruction.arguments() instanceof FromImage) {
                    fromIndexes[k++] = i;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (endIndexes[i] == 0) {
                endIndexes[i] = instructions.size();
            }
        }
    }

    int stageCount() {
        return fromIndexes.length;
    }

    Instruction from(int stage) {
        return instructions.get(fromIndexes[stage]);
    }

    /** The last stage's instructions, or all of them in a fragment without stages. */
    List<Instruction> lastBody() {
        return fromIndexes.length == 0 ? instructions : stageInstructions(fromIndexes.length - 1);
    }

    /** The instructions of a stage, its FROM first. */
    List<Instruction> stageInstructions(int stage) {
        return instructions.subList(fromIndexes[stage], endIndexes[stage]);
    }

    /**
     * Values of the global ARGs: the build argument, else the default expanded with the global ARGs
     * before it, else (no default) whatever the name held already.
     */
    Map<String, String> metaArgs(Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        return metaArgs(buildArgs, Map.of(), expand);
    }

    /** As above, starting from {@code automatic}: global values no ARG declares (BuildKit's platform args). */
    Map<String, String> metaArgs(Map<String, String> buildArgs, Map<String, String> automatic, boolean expand)
            throws DockerfileException {
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        Map<String, String> meta = new LinkedHashMap<>(automatic);
        for (Instruction instruction : instructions.subList(0, firstFrom)) {
            if (instruction.arguments() instanceof ArgDeclarations declarations) {
                for (ArgDeclaration d : declarations.declarations()) {
                    String value = buildArgs.get(d.name());
                    if (value == null && d.rawDefault() != null) {
                        value = word(lexer, d.rawDefault(), meta, instruction.startLine());
                    }
                    if (value != null) {
                        meta.put(d.name(), value);
                    }
                }
            }
        }
        return meta;
    }

    List<Stage> stages(Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        return stages(buildArgs, Map.of(), expand);
    }

    List<Stage> stages(Map<String, String> buildArgs, Map<String, String> automatic, boolean expand)
            throws DockerfileException {
        Map<String, String> meta = metaArgs(buildArgs, automatic, expand);
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        List<Stage> stages = new ArrayList<>(fromIndexes.length);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int s = 0; s < fromIndexes.length; s++) {
            Instruction from = from(s);
            FromImage image = (FromImage) from.arguments();
            String expanded = word(lexer, image.rawImage(), meta, from.startLine());
            boolean onStage = names.contains(expanded.toLowerCase(Locale.ROOT));
            stages.add(new Stage(s, expanded, image.stageName(), from.flag("platform"), onStage));
            if (image.stageName() != null) {
                names.add(image.stageName());
            }
        }
        return List.copyOf(stages);
    }

    /** What stage {@code stage} declares; for a file without stages, what the whole fragment declares. */
    StageView view(int stage, Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        if (fromIndexes.length == 0 && stage == FRAGMENT) {
            return view(FRAGMENT, null, instructions, Map.of(), buildArgs, expand);
        }
        if (stage < 0 || stage >= fromIndexes.length) {
            throw new IndexOutOfBoundsException("stage " + stage + " of " + fromIndexes.length);
        }
        Map<String, String> meta = metaArgs(buildArgs, expand);
        Instruction from = from(stage);
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        String image = word(lexer, ((FromImage) from.arguments()).rawImage(), meta, from.startLine());
        return view(stage, image, stageInstructions(stage), meta, buildArgs, expand);
    }

    /** The index of the view of a file without stages. */
    static final int FRAGMENT = -1;

    private StageView view(int stage, String image, List<Instruction> body, Map<String, String> meta,
            Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> envs = new LinkedHashMap<>();
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> scope = new HashMap<>();
        boolean fragment = stage == FRAGMENT;
        Map<String, String> globals = new HashMap<>();
        Command cmd = null;
        Command entrypoint = null;
        for (Instruction instruction : body) {
            int line = instruction.startLine();
            switch (instruction.keyword()) {
                case "ARG" -> {
                    for (ArgDeclaration d : ((ArgDeclarations) instruction.arguments()).declarations()) {
                        String value = buildArgs.get(d.name());
                        if (value == null && d.rawDefault() != null) {
                            value = word(lexer, d.rawDefault(), fragment ? globals : scope, line);
                        }
                        if (fragment) {
                            // Outside a stage an ARG is global: seen by later ARG defaults, not by ENV or LABEL.
                            if (value != null) {
                                globals.put(d.name(), value);
                            }
                            args.put(d.name(), globals.getOrDefault(d.name(), ""));
                            continue;
                        }
                        if (value == null) {
                            value = meta.get(d.name());
                        }
                        args.put(d.name(), value == null ? "" : value);
                        if (value != null && !envs.containsKey(d.name())) {
                            scope.put(d.name(), value);
                        }
                    }
                }
                case "ENV", "LABEL" -> {
                    List<String[]> pairs = new ArrayList<>();
                    for (KeyValue pair : ((KeyValues) instruction.arguments()).pairs()) {
                        pairs.add(new String[] {
                            word(lexer, pair.rawKey(), scope, line), word(lexer, pair.rawValue(), scope, line)
                        });
                    }
                    boolean env = instruction.keyword().equals("ENV");
                    for (String[] kv : pairs) {
                        if (env) {
                            envs.put(kv[0], kv[1]);
                            scope.put(kv[0], kv[1]);
                        } else {
                            labels.put(kv[0], kv[1]);
                        }
                    }
                }
                case "CMD" -> cmd = command(instruction);
                case "ENTRYPOINT" -> entrypoint = command(instruction);
                default -> {
                    // Other instructions declare nothing a view reports.
                }
            }
        }
        return new StageView(stage, image, labels, envs, args, Optional.ofNullable(cmd), Optional.ofNullable(entrypoint));
    }

    /**
     * {@code raw} through the lexer; as written when its syntax is what the build would reject (a
     * {@link Problem} of the parse already says so), so one bad word does not hide the rest.
     */
    private static String word(ShellLexer lexer, String raw, Map<String, String> env, int line)
            throws DockerfileException {
        try {
            return lexer.processWord(raw, env, line);
        } catch (DockerfileException e) {
            if (e.code().equals(DockerfileException.BAD_SUBSTITUTION)) {
                return raw;
            }
            throw e;
        }
    }

    private static Command command(Instruction instruction) {
        return switch (instruction.arguments()) {
            case ExecForm exec -> exec;
            case ShellForm shell -> shell;
            default -> throw new IllegalStateException("not a command: " + instruction.keyword());
        };
    }
}
