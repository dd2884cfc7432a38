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
 * <p>Getters without a stage argument describe the last stage, with no build arguments, expanded; in a
 * fragment without FROM they describe all of it. Parsing is as lenient as BuildKit's parser; what
 * BuildKit's build would refuse is listed by {@link #problems()}.
 */
public final class Dockerfile {
    private final String content;
    private final DockerfileParser.Result parsed;
    private final StageEvaluator evaluator;
    private final List<Stage> stages;
    private volatile StageView lastStage;

    private Dockerfile(String content, DockerfileParser.Result parsed) {
        this.content = content;
        this.parsed = parsed;
        this.evaluator = new StageEvaluator(parsed.instructions(), parsed.escape());
        this.stages = defaultStages(evaluator);
    }

    /**
     * The stages without build arguments. A {@code FROM ${BASE:?set BASE}} cannot expand without them,
     * which is no reason to refuse the file: its images are then given as written, unquoted.
     */
    private static List<Stage> defaultStages(StageEvaluator evaluator) {
        try {
            return evaluator.stages(Map.of(), true);
        } catch (DockerfileException e) {
            try {
                return evaluator.stages(Map.of(), false);
            } catch (DockerfileException cannotHappen) {
                throw new IllegalStateException("unquoting failed after parsing", cannotHappen);
            }
        }
    }

    /**
     * Parses {@code content}. Fails, with the line, only on what BuildKit's parser rejects; what only its
     * build refuses (no FROM, unknown instructions, missing arguments, ...) is kept and listed by
     * {@link #problems()}.
     */
    public static Dockerfile parse(String content) throws DockerfileException {
        Objects.requireNonNull(content, "content");
        return new Dockerfile(content, DockerfileParser.parse(content));
    }

    /** Decodes {@code bytes} as UTF-8 (refusing anything else, with the offset of the first bad byte) and parses. */
    public static Dockerfile parse(byte[] bytes) throws DockerfileException {
        return parse(Utf8.decode(bytes));
    }

    /**
     * Reads and parses the file at {@code path}. Refuses what is not a regular file before opening it (a
     * FIFO would block the read forever) and bytes that are not UTF-8.
     */
    public static Dockerfile read(java.nio.file.Path path) throws java.io.IOException, DockerfileException {
        return parse(Utf8.readRegularFile(path));
    }

    /**
     * What BuildKit's build would refuse although its parser accepts it, in line order; empty for a
     * buildable file. Each names its line, a reason code, what is wrong and how to fix it.
     */
    public List<Problem> problems() {
        return parsed.problems();
    }

    /** Throws the first of {@link #problems()}: what {@code docker build} would report first. */
    public void requireBuildable() throws DockerfileException {
        if (!parsed.problems().isEmpty()) {
            throw parsed.problems().get(0).toException();
        }
    }

    /**
     * The stages as BuildKit's build sees them, with {@code buildArgs} applied: fails with the first
     * problem ({@link #requireBuildable()}) or expansion error, with its line.
     */
    public List<Stage> buildStages(Map<String, String> buildArgs) throws DockerfileException {
        return buildStages(buildArgs, Map.of());
    }

    /**
     * As {@link #buildStages(Map)}, with {@code automaticArgs} in the global scope before any ARG, as
     * BuildKit puts its platform args there ({@link #platformArgs}): {@code FROM ${TARGETARCH}/base}
     * works without declaring {@code TARGETARCH}.
     */
    public List<Stage> buildStages(Map<String, String> buildArgs, Map<String, String> automaticArgs)
            throws DockerfileException {
        requireBuildable();
        return evaluator.stages(buildArgs, automaticArgs, true);
    }

    /**
     * BuildKit's automatic platform args for building on and for one platform: {@code TARGETPLATFORM},
     * {@code TARGETOS}, {@code TARGETARCH}, {@code TARGETVARIANT} and the same four {@code BUILD*} ones.
     *
     * @param variant the CPU variant ({@code v8}), or null
     */
    public static Map<String, String> platformArgs(String os, String architecture, String variant) {
        String platform = os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
        Map<String, String> args = new java.util.LinkedHashMap<>();
        for (String side : new String[] {"TARGET", "BUILD"}) {
            args.put(side + "PLATFORM", platform);
            args.put(side + "OS", os);
            args.put(side + "ARCH", architecture);
            args.put(side + "VARIANT", variant == null ? "" : variant);
        }
        return java.util.Collections.unmodifiableMap(args);
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

    /**
     * dockerfile-parse's {@code structure}: each instruction, comment and parser directive with 0-based
     * lines. A comment inside a continued instruction is its own entry, before that instruction, and is
     * left out of the instruction's {@code content}.
     */
    public List<StructureEntry> structure() {
        return StructureEntry.of(this);
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

    /**
     * The stages with {@code buildArgs} applied to the ARGs before the first FROM; empty without FROM.
     * Lenient like every getter: {@link #buildStages} is the one that refuses what the build refuses.
     */
    public List<Stage> stages(Map<String, String> buildArgs) throws DockerfileException {
        return evaluator.stages(buildArgs, true);
    }

    /** Every stage's image, in order, including stages that build on an earlier stage (by its name). */
    public List<String> parentImages() {
        return stages.stream().map(Stage::image).toList();
    }

    /** The last stage's image; null for a fragment without FROM (as dockerfile-parse's None). */
    public String baseImage() {
        return stages.isEmpty() ? null : stages.get(stages.size() - 1).image();
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
     * only unquoted, not substituted. In a file without stages, index {@code -1} is the whole fragment
     * (what the getters without a stage describe then).
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
            view = stage(stages.isEmpty() ? StageEvaluator.FRAGMENT : stages.size() - 1, Map.of(), true);
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
