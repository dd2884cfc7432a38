package io.strata.dockerfile;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Dockerfile: lossless (printing gives back the input byte for byte), immutable, and
 * editable by minimal edits that return a new {@code Dockerfile} and leave every untouched byte as it
 * was. Parsing follows BuildKit's Dockerfile frontend; the getters follow dockerfile-parse's names
 * ({@code baseimage}, {@code parent_images}, {@code labels}, ...).
 *
 * <p>Getters without a stage argument describe the last stage, with no build arguments, expanded.
 */
public final class Dockerfile {
    private final String content;
    private final DockerfileParser.Result parsed;
    private final StageEvaluator evaluator;
    private final List<Stage> stages;
    private volatile StageView lastStage;

    private Dockerfile(String content, DockerfileParser.Result parsed) throws DockerfileException {
        this.content = content;
        this.parsed = parsed;
        this.evaluator = new StageEvaluator(parsed.instructions(), parsed.escape());
        this.stages = evaluator.stages(Map.of(), true);
    }

    /** Parses {@code content}; fails with the line number where BuildKit would reject it. */
    public static Dockerfile parse(String content) throws DockerfileException {
        Objects.requireNonNull(content, "content");
        return new Dockerfile(content, DockerfileParser.parse(content));
    }

    /** The text; for an unedited parse, exactly the input. */
    public String content() {
        return content;
    }

    @Override
    public String toString() {
        return content;
    }

    /** Two Dockerfiles are equal when their text is: everything else is derived from it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Dockerfile d && d.content.equals(content);
    }

    @Override
    public int hashCode() {
        return content.hashCode();
    }

    /** Every node in order: parser directives, comments, blank lines and instructions. */
    public List<Node> nodes() {
        return parsed.nodes();
    }

    public List<Instruction> instructions() {
        return parsed.instructions();
    }

    /** The escape character in force ({@code \} unless a {@code # escape=`} directive says otherwise). */
    public char escapeCharacter() {
        return parsed.escape();
    }

    /** The parser directives at the top of the file, by lower-case name. */
    public Map<String, String> directives() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Node node : parsed.nodes()) {
            if (node instanceof ParserDirective d) {
                out.put(d.name(), d.value());
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The stages with {@code buildArgs} applied to the ARGs before the first FROM. */
    public List<Stage> stages(Map<String, String> buildArgs) throws DockerfileException {
        return evaluator.stages(buildArgs, true);
    }

    /** Every stage's image, in order, including stages that build on an earlier stage (by its name). */
    public List<String> parentImages() {
        return stages.stream().map(Stage::image).toList();
    }

    /** The last stage's image. */
    public String baseImage() {
        return stages.get(stages.size() - 1).image();
    }

    public boolean isMultiStage() {
        return stages.size() > 1;
    }

    public Map<String, String> labels() {
        return lastStage().labels();
    }

    public Map<String, String> envs() {
        return lastStage().envs();
    }

    public Map<String, String> args() {
        return lastStage().args();
    }

    public Optional<Command> cmd() {
        return lastStage().cmd();
    }

    public Optional<Command> entrypoint() {
        return lastStage().entrypoint();
    }

    /**
     * What stage {@code index} declares, with {@code buildArgs} applied; with {@code expand} false values are
     * only unquoted, not substituted.
     *
     * @throws UncheckedDockerfileException when a {@code ${V:?message}} fails
     */
    public StageView stage(int index, Map<String, String> buildArgs, boolean expand) {
        try {
            return evaluator.view(index, buildArgs, expand);
        } catch (DockerfileException e) {
            throw new UncheckedDockerfileException(e);
        }
    }

    private StageView lastStage() {
        StageView view = lastStage;
        if (view == null) {
            view = stage(stages.size() - 1, Map.of(), true);
            lastStage = view;
        }
        return view;
    }

    // ---- Edits: each returns a new Dockerfile; the receiver is unchanged. ----

    /** Sets label {@code key} in the last stage: in place if it stands, else on a new LABEL line. */
    public Dockerfile withLabel(String key, String value) {
        return editor().set("LABEL", key, value);
    }

    /** Removes label {@code key} from the last stage (every LABEL that sets it); no-op when absent. */
    public Dockerfile withoutLabel(String key) {
        return editor().remove("LABEL", key);
    }

    public Dockerfile withEnv(String key, String value) {
        return editor().set("ENV", key, value);
    }

    public Dockerfile withoutEnv(String key) {
        return editor().remove("ENV", key);
    }

    /**
     * Sets these labels in the last stage and leaves the others alone: standing keys change in place,
     * new ones go together on one new LABEL line (one build step instead of one per label).
     */
    public Dockerfile withLabelsSet(Map<String, String> labels) {
        return editor().setSome("LABEL", labels);
    }

    /** As {@link #withLabelsSet}, for ENV. */
    public Dockerfile withEnvsSet(Map<String, String> envs) {
        return editor().setSome("ENV", envs);
    }

    /** Makes the last stage's labels exactly {@code all}: changes, adds and removes as needed. */
    public Dockerfile withLabels(Map<String, String> all) {
        return editor().setAll("LABEL", all);
    }

    public Dockerfile withEnvs(Map<String, String> all) {
        return editor().setAll("ENV", all);
    }

    /** Replaces the last stage's image, keeping its flags and {@code AS name}. */
    public Dockerfile withBaseImage(String ref) {
        return editor().replaceImage(stages.size() - 1, ref);
    }

    /**
     * Replaces the stages' images in order. {@code refs} has either one entry per stage, or one entry per
     * stage that uses an image (skipping stages that build on an earlier stage). Entries equal to the
     * current image leave that FROM line untouched.
     */
    public Dockerfile withParentImages(List<String> refs) throws DockerfileException {
        return editor().replaceImages(refs);
    }

    /** Inserts lines at the top of the file, after any parser directives (so they keep working). */
    public Dockerfile withLinesAtStart(String... lines) {
        return editor().insertAtStart(List.of(lines));
    }

    /** Appends lines at the end of the file. */
    public Dockerfile withLinesAtEnd(String... lines) {
        return editor().insertAtEnd(List.of(lines));
    }

    /** Inserts lines right after every FROM, optionally skipping {@code FROM scratch} stages. */
    public Dockerfile withLinesAfterEachFrom(boolean skipScratch, String... lines) {
        return editor().insertAfterEachFrom(skipScratch, List.of(lines));
    }

    /** Inserts lines after the last instruction of every stage, optionally skipping {@code FROM scratch} stages. */
    public Dockerfile withLinesAtEndOfEachStage(boolean skipScratch, String... lines) {
        return editor().insertAtEndOfEachStage(skipScratch, List.of(lines));
    }

    public Dockerfile withLinesBefore(Instruction anchor, String... lines) {
        return editor().insertBefore(anchor, List.of(lines));
    }

    public Dockerfile withLinesAfter(Instruction anchor, String... lines) {
        return editor().insertAfter(anchor, List.of(lines));
    }

    /** Replaces the anchor instruction (all its lines) with {@code lines}; no lines deletes it. */
    public Dockerfile withLinesReplacing(Instruction anchor, String... lines) {
        return editor().replace(anchor, List.of(lines));
    }

    private DockerfileEditor editor() {
        return new DockerfileEditor(this);
    }

    // ---- For the editor (same package). ----

    StageEvaluator evaluator() {
        return evaluator;
    }

    /** Offset where 1-based {@code line} starts ({@code content().length()} past the end). */
    int offsetOfLine(int line) {
        int index = line - 1;
        return index >= parsed.lineCount() ? content.length() : parsed.lineStarts()[index];
    }

    /** Offset just past the node's last line (terminator included). */
    int endOffset(Node node) {
        return offsetOfLine(node.endLine() + 1);
    }

    int startOffset(Node node) {
        return offsetOfLine(node.startLine());
    }
}
