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
 * Variable scoping follows BuildKit: ARGs before the first FROM are usable only in FROM lines (and as
 * defaults for a stage's bare {@code ARG NAME}); each stage starts with no variables; ENV wins over
 * ARG of the same name; a build argument overrides an ARG's default but only once the ARG is declared.
 * As in dockerfile-parse, ARG defaults are taken literally (quotes removed, nothing substituted).
 */
final class StageEvaluator {
    private final List<Instruction> instructions;
    private final char escape;
    /** Index into {@code instructions} of each stage's FROM. */
    private final int[] fromIndexes;

    StageEvaluator(List<Instruction> instructions, char escape) {
        this.instructions = instructions;
        this.escape = escape;
        int count = 0;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                count++;
            }
        }
        fromIndexes = new int[count];
        int k = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                fromIndexes[k++] = i;
            }
        }
    }

    int stageCount() {
        return fromIndexes.length;
    }

    Instruction from(int stage) {
        return instructions.get(fromIndexes[stage]);
    }

    /** The instructions of a stage, its FROM first. */
    List<Instruction> stageInstructions(int stage) {
        int end = stage + 1 < fromIndexes.length ? fromIndexes[stage + 1] : instructions.size();
        return instructions.subList(fromIndexes[stage], end);
    }

    /** Values of the ARGs declared before the first FROM: build arg, else default, else absent. */
    Map<String, String> metaArgs(Map<String, String> buildArgs) throws DockerfileException {
        ShellLexer dequote = ShellLexer.dequoting(escape);
        Map<String, String> meta = new LinkedHashMap<>();
        int end = fromIndexes.length == 0 ? instructions.size() : fromIndexes[0];
        for (Instruction instruction : instructions.subList(0, end)) {
            if (instruction.arguments() instanceof ArgDeclarations declarations) {
                for (ArgDeclaration d : declarations.declarations()) {
                    String value = buildArgs.get(d.name());
                    if (value == null && d.rawDefault() != null) {
                        value = dequote.processWord(d.rawDefault(), Map.of(), instruction.startLine());
                    }
                    if (value != null) {
                        meta.put(d.name(), value);
                    } else {
                        meta.remove(d.name());
                    }
                }
            }
        }
        return meta;
    }

    List<Stage> stages(Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        Map<String, String> meta = metaArgs(buildArgs);
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        List<Stage> stages = new ArrayList<>(fromIndexes.length);
        List<String> names = new ArrayList<>();
        for (int s = 0; s < fromIndexes.length; s++) {
            Instruction from = from(s);
            FromImage image = (FromImage) from.arguments();
            String expanded = lexer.processWord(image.rawImage(), meta, from.startLine());
            boolean onStage = names.contains(expanded.toLowerCase(Locale.ROOT));
            stages.add(new Stage(s, expanded, image.stageName(), from.flag("platform"), onStage));
            if (image.stageName() != null) {
                names.add(image.stageName());
            }
        }
        return List.copyOf(stages);
    }

    StageView view(int stage, Map<String, String> buildArgs, boolean expand) throws DockerfileException {
        if (stage < 0 || stage >= fromIndexes.length) {
            throw new IndexOutOfBoundsException("stage " + stage + " of " + fromIndexes.length);
        }
        Map<String, String> meta = metaArgs(buildArgs);
        ShellLexer lexer = expand ? ShellLexer.expanding(escape) : ShellLexer.dequoting(escape);
        ShellLexer dequote = ShellLexer.dequoting(escape);
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> envs = new LinkedHashMap<>();
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> scope = new HashMap<>();
        Command cmd = null;
        Command entrypoint = null;
        List<Instruction> body = stageInstructions(stage);
        String image = stages(buildArgs, expand).get(stage).image();
        for (Instruction instruction : body) {
            int line = instruction.startLine();
            switch (instruction.keyword()) {
                case "ARG" -> {
                    for (ArgDeclaration d : ((ArgDeclarations) instruction.arguments()).declarations()) {
                        String value = buildArgs.get(d.name());
                        if (value == null && d.rawDefault() != null) {
                            value = dequote.processWord(d.rawDefault(), Map.of(), line);
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
                            lexer.processWord(pair.rawKey(), scope, line), lexer.processWord(pair.rawValue(), scope, line)
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

    private static Command command(Instruction instruction) {
        return switch (instruction.arguments()) {
            case ExecForm exec -> exec;
            case ShellForm shell -> shell;
            default -> throw new IllegalStateException("not a command: " + instruction.keyword());
        };
    }
}
