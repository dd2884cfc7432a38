package io.strata.cli.dockerfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.ShellForm;
import io.strata.dockerfile.Command;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.dockerfile.Instruction;
import io.strata.dockerfile.Problem;
import io.strata.dockerfile.Stage;
import io.strata.dockerfile.StageView;
import io.strata.dockerfile.StructureEntry;
import io.strata.dockerfile.UncheckedDockerfileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code strata dockerfile inspect} reports, resolved once with the build arguments, and its two
 * renderings: the JSON wire format (dockerfile-parse names, documented in docs/dockerfile.md) and text.
 */
record InspectReport(Path file, Dockerfile dockerfile, List<Stage> stages, List<StageView> views,
        StageView last, List<Problem> warnings) {

    /**
     * Resolves everything once. Never refuses a file that parses: what the build would refuse (see
     * {@link Dockerfile#problems()}) and values that cannot expand with these build arguments (a failing
     * {@code ${V:?}}, then shown unexpanded) become warnings, and the rest is still reported.
     */
    static InspectReport of(Path file, Dockerfile dockerfile, Map<String, String> buildArgs) {
        List<Problem> warnings = new ArrayList<>(dockerfile.problems());
        List<Stage> stages;
        try {
            stages = dockerfile.stages(buildArgs);
        } catch (DockerfileException e) {
            warnings.add(Problem.of(e));
            stages = dockerfile.stages();
        }
        List<StageView> views = new ArrayList<>();
        for (Stage stage : stages) {
            views.add(view(dockerfile, stage.index(), buildArgs, warnings));
        }
        StageView last = views.isEmpty() ? view(dockerfile, -1, buildArgs, warnings) : views.get(views.size() - 1);
        return new InspectReport(file, dockerfile, stages, List.copyOf(views), last, List.copyOf(warnings));
    }

    private static StageView view(Dockerfile dockerfile, int index, Map<String, String> buildArgs,
            List<Problem> warnings) {
        try {
            return dockerfile.stage(index, buildArgs, true);
        } catch (UncheckedDockerfileException e) {
            warnings.add(Problem.of(e.getCause()));
            return dockerfile.stage(index, buildArgs, false);
        }
    }

    private String baseImage() {
        return stages.isEmpty() ? null : stages.get(stages.size() - 1).image();
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("baseimage", baseImage());
        ArrayNode parents = root.putArray("parent_images");
        stages.forEach(s -> parents.add(s.image()));
        root.put("is_multistage", stages.size() > 1);
        putMap(root, "labels", last.labels());
        putMap(root, "envs", last.envs());
        putMap(root, "args", last.args());
        putCommand(root, "cmd", last.cmd());
        putCommand(root, "entrypoint", last.entrypoint());
        ArrayNode stageArray = root.putArray("stages");
        for (Stage stage : stages) {
            StageView view = views.get(stage.index());
            ObjectNode s = stageArray.addObject();
            s.put("index", stage.index());
            s.put("image", stage.image());
            s.put("name", stage.name());
            s.put("platform", stage.platform());
            s.put("builds_on_stage", stage.buildsOnStage());
            putMap(s, "labels", view.labels());
            putMap(s, "envs", view.envs());
            putMap(s, "args", view.args());
            putCommand(s, "cmd", view.cmd());
            putCommand(s, "entrypoint", view.entrypoint());
        }
        ArrayNode structure = root.putArray("structure");
        for (StructureEntry entry : dockerfile.structure()) {
            ObjectNode node = structure.addObject();
            node.put("instruction", entry.instruction());
            node.put("startline", entry.startline());
            node.put("endline", entry.endline());
            node.put("content", entry.content());
            node.put("value", entry.value());
        }
        ArrayNode warningArray = root.putArray("warnings");
        for (Problem problem : warnings) {
            ObjectNode node = warningArray.addObject();
            node.put("line", problem.line());
            node.put("code", problem.code());
            node.put("message", problem.message());
            node.put("fix", problem.hint());
        }
        return root;
    }

    private static void putMap(ObjectNode parent, String name, Map<String, String> map) {
        ObjectNode node = parent.putObject(name);
        map.forEach(node::put);
    }

    private static void putCommand(ObjectNode parent, String name, Optional<Command> command) {
        if (command.isEmpty()) {
            parent.putNull(name);
            return;
        }
        ObjectNode node = parent.putObject(name);
        switch (command.get()) {
            case ExecForm exec -> {
                node.put("form", "exec");
                ArrayNode args = node.putArray("args");
                exec.args().forEach(args::add);
            }
            case ShellForm shell -> {
                node.put("form", "shell");
                node.put("command", shell.command());
            }
        }
    }

    String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Dockerfile:    ").append(file).append('\n');
        out.append("Base image:    ").append(stages.isEmpty() ? "(none: no FROM)" : baseImage()).append('\n');
        out.append("Parent images: ").append(stages.isEmpty() ? "(none)"
                : String.join(", ", stages.stream().map(Stage::image).toList())).append('\n');
        out.append("Multi-stage:   ").append(stages.size() > 1 ? "yes" : "no").append('\n');
        out.append("Stages:").append(stages.isEmpty() ? " (none)" : "").append('\n');
        for (Stage stage : stages) {
            out.append("  ").append(stage.index()).append("  ").append(stage.image());
            if (stage.name() != null) {
                out.append(" AS ").append(stage.name());
            }
            if (stage.platform() != null) {
                out.append("  --platform=").append(stage.platform());
            }
            if (stage.buildsOnStage()) {
                out.append("  (builds on an earlier stage)");
            }
            out.append('\n');
        }
        out.append(stages.isEmpty() ? "Whole file (no stage):\n" : "Last stage:\n");
        section(out, "Labels", last.labels());
        section(out, "Envs", last.envs());
        section(out, "Args", last.args());
        out.append("  Cmd:        ").append(describe(last.cmd())).append('\n');
        out.append("  Entrypoint: ").append(describe(last.entrypoint())).append('\n');
        out.append("Structure:\n");
        for (Instruction i : dockerfile.instructions()) {
            String lines = i.startLine() == i.endLine() ? String.valueOf(i.startLine()) : i.startLine() + "-" + i.endLine();
            out.append(String.format("  %-8s %-11s %s%n", lines, i.keyword(), oneLine(i.value())));
        }
        if (!warnings.isEmpty()) {
            out.append("Warnings (the build would refuse these):\n");
            for (Problem problem : warnings) {
                out.append("  ").append(file).append(':').append(problem.line()).append(": ").append(problem.message())
                        .append(" [").append(problem.code()).append("]\n");
                out.append("    fix: ").append(problem.hint()).append('\n');
            }
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, String> map) {
        out.append("  ").append(title).append(':').append(map.isEmpty() ? " (none)" : "").append('\n');
        map.forEach((k, v) -> out.append("    ").append(k).append(" = ").append(v).append('\n'));
    }

    private static String describe(Optional<Command> command) {
        if (command.isEmpty()) {
            return "(none)";
        }
        return switch (command.get()) {
            case ExecForm exec -> "exec " + exec.args();
            case ShellForm shell -> "shell " + shell.command();
        };
    }

    private static String oneLine(String value) {
        String flat = value.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 100 ? flat.substring(0, 97) + "..." : flat;
    }
}
