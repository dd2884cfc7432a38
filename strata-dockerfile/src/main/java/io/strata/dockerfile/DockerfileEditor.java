package io.strata.dockerfile;

import io.strata.dockerfile.Arguments.KeyValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Minimal text edits on one Dockerfile: every change is a splice of the original text (replace the
 * characters of one value, insert whole lines, delete whole instructions), and the result is parsed
 * again so an edit can never produce something that does not read back.
 */
final class DockerfileEditor {
    private final Dockerfile dockerfile;
    private final String content;
    private final char escape;

    DockerfileEditor(Dockerfile dockerfile) {
        this.dockerfile = dockerfile;
        this.content = dockerfile.content();
        this.escape = dockerfile.escapeCharacter();
    }

    // ---- ENV and LABEL ----

    Dockerfile set(String keyword, String key, String value) {
        ValueQuoting.requireWritable(keyword + " key", key, true);
        ValueQuoting.requireWritable(keyword + " value", value, false);
        if (value.equals(current(keyword).get(key))) {
            return dockerfile;
        }
        List<Instruction> body = dockerfile.evaluator().lastBody();
        for (int i = body.size() - 1; i >= 0; i--) {
            Instruction instruction = body.get(i);
            int p = instruction.keyword().equals(keyword) ? keys(instruction).lastIndexOf(key) : -1;
            if (p >= 0) {
                PairLayout layout = PairLayout.of(dockerfile, instruction);
                String quoted = ValueQuoting.quote(value, escape, ValueQuoting.Style.of(layout.rawValue(p)));
                return apply(List.of(new Splice(layout.valueFrom(p), layout.valueTo(p), quoted)));
            }
        }
        String line = keyword + " " + ValueQuoting.quote(key, escape, ValueQuoting.Style.BARE) + "="
                + ValueQuoting.quote(value, escape, ValueQuoting.Style.BARE);
        return apply(List.of(insertion(dockerfile.endOffset(body.get(body.size() - 1)), List.of(line))));
    }

    /**
     * Sets several keys in the last stage, leaving every other key alone: keys that stand are changed
     * in place, new keys go together on one new instruction (one build step, not one per key).
     */
    Dockerfile setSome(String keyword, Map<String, String> values) {
        Dockerfile result = dockerfile;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            ValueQuoting.requireWritable(keyword + " key", entry.getKey(), true);
            ValueQuoting.requireWritable(keyword + " value", entry.getValue(), false);
            if (current(keyword).containsKey(entry.getKey())) {
                result = new DockerfileEditor(result).set(keyword, entry.getKey(), entry.getValue());
            } else {
                line.append(' ').append(ValueQuoting.quote(entry.getKey(), escape, ValueQuoting.Style.BARE)).append('=')
                        .append(ValueQuoting.quote(entry.getValue(), escape, ValueQuoting.Style.BARE));
            }
        }
        if (line.isEmpty()) {
            return result;
        }
        DockerfileEditor editor = new DockerfileEditor(result);
        List<Instruction> body = result.evaluator().lastBody();
        return editor.apply(List.of(editor.insertion(result.endOffset(body.get(body.size() - 1)), List.of(keyword + line))));
    }

    Dockerfile remove(String keyword, String key) {
        if (!current(keyword).containsKey(key)) {
            return dockerfile;
        }
        List<Splice> splices = new ArrayList<>();
        for (Instruction instruction : dockerfile.evaluator().lastBody()) {
            if (!instruction.keyword().equals(keyword)) {
                continue;
            }
            List<String> keys = keys(instruction);
            if (!keys.contains(key)) {
                continue;
            }
            boolean[] removed = new boolean[keys.size()];
            int count = 0;
            for (int p = 0; p < keys.size(); p++) {
                if (keys.get(p).equals(key)) {
                    removed[p] = true;
                    count++;
                }
            }
            if (count == keys.size()) {
                splices.add(new Splice(dockerfile.startOffset(instruction), dockerfile.endOffset(instruction), ""));
            } else {
                splices.addAll(PairLayout.of(dockerfile, instruction).removals(removed));
            }
        }
        return apply(splices);
    }

    Dockerfile setAll(String keyword, Map<String, String> all) {
        Dockerfile result = dockerfile;
        for (String key : new ArrayList<>(current(keyword).keySet())) {
            if (!all.containsKey(key)) {
                result = new DockerfileEditor(result).remove(keyword, key);
            }
        }
        for (Map.Entry<String, String> entry : all.entrySet()) {
            result = new DockerfileEditor(result).set(keyword, entry.getKey(), entry.getValue());
        }
        return result;
    }

    /** The keys of an ENV or LABEL instruction, unquoted, in order. */
    private List<String> keys(Instruction instruction) {
        ShellLexer dequote = ShellLexer.dequoting(escape);
        List<String> keys = new ArrayList<>();
        try {
            for (KeyValue pair : ((KeyValues) instruction.arguments()).pairs()) {
                keys.add(dequote.processWord(pair.rawKey(), Map.of(), instruction.startLine()));
            }
        } catch (DockerfileException e) {
            // A key whose quoting the build would refuse (a listed problem) is matched as written.
            keys.clear();
            for (KeyValue pair : ((KeyValues) instruction.arguments()).pairs()) {
                keys.add(pair.rawKey());
            }
        }
        return keys;
    }

    private Map<String, String> current(String keyword) {
        return keyword.equals("LABEL") ? dockerfile.labels() : dockerfile.envs();
    }

    // ---- FROM ----

    Dockerfile replaceImage(int stage, String ref) {
        requireImageRef(ref);
        if (stage < 0) {
            throw new UncheckedDockerfileException(new DockerfileException(1, DockerfileException.NO_STAGE,
                    "the Dockerfile has no FROM, so no base image to replace", "add FROM <image>"));
        }
        Splice splice = imageSplice(stage, ref);
        return splice == null ? dockerfile : apply(List.of(splice));
    }

    Dockerfile replaceImages(List<String> refs) throws DockerfileException {
        List<Stage> stages = dockerfile.stages();
        List<Integer> targets = new ArrayList<>();
        List<Integer> usingImages = new ArrayList<>();
        for (Stage stage : stages) {
            targets.add(stage.index());
            if (!stage.buildsOnStage()) {
                usingImages.add(stage.index());
            }
        }
        if (refs.size() != stages.size()) {
            if (refs.size() != usingImages.size()) {
                throw new DockerfileException(stages.isEmpty() ? 1 : dockerfile.evaluator().from(0).startLine(),
                        refs.size() + " parent images given, but the Dockerfile has " + usingImages.size()
                                + " stages that use an image (" + stages.size() + " stages in all)",
                        "give one image per stage that uses an image, in FROM order");
            }
            targets = usingImages;
        }
        List<Splice> splices = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            requireImageRef(refs.get(i));
            Splice splice = imageSplice(targets.get(i), refs.get(i));
            if (splice != null) {
                splices.add(splice);
            }
        }
        return apply(splices);
    }

    private Splice imageSplice(int stage, String ref) {
        if (dockerfile.stages().get(stage).image().equals(ref)) {
            return null;
        }
        Instruction from = dockerfile.evaluator().from(stage);
        LogicalLine logical = LogicalLine.of(dockerfile, from);
        InstructionParser.Layout layout = InstructionParser.layout(logical.text());
        Word image = WordSplitter.whitespace(logical.text(), layout.argsStart()).get(0);
        int[] at = logical.offsets();
        return new Splice(at[image.start()], at[image.end() - 1] + 1, ref);
    }

    private static void requireImageRef(String ref) {
        if (ref == null || ref.isEmpty() || ref.chars().anyMatch(c -> Chars.isSpace((char) c))) {
            throw new IllegalArgumentException("an image reference must be one word without spaces: '" + ref + "'");
        }
    }

    // ---- Lines ----

    Dockerfile insertAtStart(List<String> lines) {
        int at = 0;
        for (Node node : dockerfile.nodes()) {
            if (node instanceof ParserDirective) {
                at = dockerfile.endOffset(node);
            } else {
                break;
            }
        }
        if (at == 0 && content.startsWith("\uFEFF")) {
            at = 1;
        }
        return apply(List.of(insertion(at, lines)));
    }

    Dockerfile insertAtEnd(List<String> lines) {
        return apply(List.of(insertion(content.length(), lines)));
    }

    Dockerfile insertAfterEachFrom(boolean skipScratch, List<String> lines) {
        List<Splice> splices = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            if (!(skipScratch && isScratch(stage))) {
                splices.add(insertion(dockerfile.endOffset(dockerfile.evaluator().from(stage.index())), lines));
            }
        }
        return apply(splices);
    }

    Dockerfile insertAtEndOfEachStage(boolean skipScratch, List<String> lines) {
        List<Splice> splices = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            if (!(skipScratch && isScratch(stage))) {
                List<Instruction> body = dockerfile.evaluator().stageInstructions(stage.index());
                splices.add(insertion(dockerfile.endOffset(body.get(body.size() - 1)), lines));
            }
        }
        return apply(splices);
    }

    Dockerfile insertBefore(Instruction anchor, List<String> lines) {
        return apply(List.of(insertion(dockerfile.startOffset(requireAnchor(anchor)), lines)));
    }

    Dockerfile insertAfter(Instruction anchor, List<String> lines) {
        return apply(List.of(insertion(dockerfile.endOffset(requireAnchor(anchor)), lines)));
    }

    Dockerfile replace(Instruction anchor, List<String> lines) {
        Instruction a = requireAnchor(anchor);
        int from = dockerfile.startOffset(a);
        int to = dockerfile.endOffset(a);
        if (lines.isEmpty()) {
            return apply(List.of(new Splice(from, to, "")));
        }
        String text = block(lines);
        if (to == content.length() && !content.endsWith("\n")) {
            text = text.substring(0, text.length() - eol().length());
        }
        return apply(List.of(new Splice(from, to, text)));
    }

    private Instruction requireAnchor(Instruction anchor) {
        if (anchor == null || !dockerfile.instructions().contains(anchor)) {
            throw new IllegalArgumentException("anchor is not an instruction of this Dockerfile: " + anchor);
        }
        return anchor;
    }

    private static boolean isScratch(Stage stage) {
        return stage.image().equalsIgnoreCase("scratch");
    }

    /** Whole lines inserted at a line start (or at the end, finishing an unterminated last line first). */
    private Splice insertion(int at, List<String> lines) {
        String text = block(lines);
        if (at == content.length() && !content.isEmpty() && !content.endsWith("\n")) {
            text = eol() + text;
        }
        return new Splice(at, at, text);
    }

    private String block(List<String> lines) {
        String eol = eol();
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line == null) {
                throw new IllegalArgumentException("a line must not be null");
            }
            String body = line.endsWith("\r\n") ? line.substring(0, line.length() - 2)
                    : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            out.append(body).append(eol);
        }
        return out.toString();
    }

    /** The file's own line terminator, judged by its first line. */
    private String eol() {
        int nl = content.indexOf('\n');
        return nl > 0 && content.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    private Dockerfile apply(List<Splice> splices) {
        if (splices.isEmpty()) {
            return dockerfile;
        }
        List<Splice> ordered = new ArrayList<>(splices);
        ordered.sort(Comparator.comparingInt(Splice::from).thenComparingInt(Splice::to));
        StringBuilder out = new StringBuilder(content.length() + 64);
        int pos = 0;
        for (Splice s : ordered) {
            if (s.from() < pos) {
                throw new IllegalStateException("overlapping edits at offset " + s.from());
            }
            out.append(content, pos, s.from()).append(s.text());
            pos = s.to();
        }
        out.append(content, pos, content.length());
        Dockerfile result;
        try {
            result = Dockerfile.parse(out.toString());
        } catch (DockerfileException e) {
            throw new UncheckedDockerfileException(e);
        }
        // An edit may keep the problems a file had, never add one the build would refuse.
        if (result.problems().size() > dockerfile.problems().size()) {
            for (Problem problem : result.problems()) {
                if (!dockerfile.problems().stream().anyMatch(p -> p.message().equals(problem.message()))) {
                    throw new UncheckedDockerfileException(problem.toException());
                }
            }
            throw new UncheckedDockerfileException(result.problems().get(result.problems().size() - 1).toException());
        }
        return result;
    }
}
