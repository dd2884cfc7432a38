package io.strata.core.plan;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.config.doc.DocNode;
import io.strata.core.config.doc.DocReader;
import io.strata.core.config.doc.Schema;
import io.strata.core.config.doc.SchemaChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders a {@link Plan}: the arrangement template for the build type and version, then the
 * customize document (osbs-client semantics: {@code disable_plugins} removes steps,
 * {@code enable_plugins} adds a step at the end of its phase or after {@code after}, or changes the
 * arguments of a step already there), then the {@link PlanOverrides} of the request. Every step
 * and argument is checked against the {@link StepCatalog}, and the steps' chain by {@link PlanChain}
 * (a step needing what no earlier step provides is refused); all problems are reported together.
 */
public final class PlanRenderer {
    /** Arrangement versions with templates; the last is the default. */
    public static final List<Integer> ARRANGEMENT_VERSIONS = List.of(6);
    public static final int DEFAULT_ARRANGEMENT_VERSION = 6;

    private static final Schema.Obj TEMPLATE = Schema.object()
            .required("steps", Schema.listOf(Schema.object()
                    .required("name", Schema.string())
                    .optional("required", Schema.bool())
                    .optional("allowed_to_fail", Schema.bool())
                    .optional("args", Schema.mapOf(Schema.any()))
                    .build()))
            .build();

    private static final Schema.Obj CUSTOMIZE = Schema.object()
            .optional("disable_plugins", Schema.listOf(Schema.object()
                    .optional("plugin_type", Schema.string())
                    .required("plugin_name", Schema.string())
                    .build()))
            .optional("enable_plugins", Schema.listOf(Schema.object()
                    .optional("plugin_type", Schema.string())
                    .required("plugin_name", Schema.string())
                    .optional("plugin_args", Schema.mapOf(Schema.any()))
                    .optional("after", Schema.string())
                    .build()))
            .build();

    private PlanRenderer() {}

    public static Plan render(String buildType, int arrangementVersion, Optional<CustomizeJson> customize,
                              PlanOverrides overrides) throws ConfigException {
        List<PlanStep> steps = template(buildType, arrangementVersion);
        if (customize.isPresent()) {
            steps = customize(buildType, steps, customize.get());
        }
        String origin = customize.map(CustomizeJson::origin).orElse("template " + templateResource(buildType, arrangementVersion));
        List<ConfigProblem> broken = PlanChain.problems(origin, steps, StepCatalog.standard());
        if (!broken.isEmpty()) {
            throw new ConfigException(broken);
        }
        return new Plan(buildType, arrangementVersion, applyOverrides(steps, overrides));
    }

    /** The resource holding a template, e.g. {@code arrangement-6/worker.json}. */
    static String templateResource(String buildType, int arrangementVersion) {
        return "arrangement-" + arrangementVersion + "/" + buildType + ".json";
    }

    /**
     * Bundled templates never change while the process runs, so each is read and checked once:
     * reading one per build was a tenth of the CPU a queued build cost (docs/benchmarks.md, "The queue").
     */
    private static final java.util.concurrent.ConcurrentMap<String, List<PlanStep>> TEMPLATES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static List<PlanStep> template(String buildType, int version) throws ConfigException {
        String key = buildType + "@" + version;
        List<PlanStep> cached = TEMPLATES.get(key);
        if (cached != null) {
            return cached;
        }
        List<PlanStep> read = List.copyOf(readTemplate(buildType, version));
        TEMPLATES.putIfAbsent(key, read);
        return read;
    }

    private static List<PlanStep> readTemplate(String buildType, int version) throws ConfigException {
        if (!StepCatalog.BUILD_TYPES.contains(buildType)) {
            throw new ConfigException(new ConfigProblem("build type", 0, "unknown build type '" + buildType + "'",
                    "use one of: " + String.join(", ", StepCatalog.BUILD_TYPES)));
        }
        if (!ARRANGEMENT_VERSIONS.contains(version)) {
            throw new ConfigException(new ConfigProblem("arrangement_version", 0,
                    "no arrangement version " + version + " (known: " + ARRANGEMENT_VERSIONS + ")",
                    "set arrangement_version = " + DEFAULT_ARRANGEMENT_VERSION));
        }
        String resource = templateResource(buildType, version);
        String origin = "template " + resource;
        DocNode root = DocReader.readJson(origin, readResource(resource));
        List<ConfigProblem> problems = new ArrayList<>(SchemaChecker.check(origin, root, TEMPLATE));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        StepChecks checks = new StepChecks(StepCatalog.standard(), origin, problems);
        List<PlanStep> steps = new ArrayList<>();
        for (DocNode item : ((DocNode.Sequence) ((DocNode.Mapping) root).get("steps").orElseThrow()).items()) {
            DocNode.Mapping step = (DocNode.Mapping) item;
            DocNode nameNode = step.get("name").orElseThrow();
            Optional<StepCatalog.StepSpec> spec = checks.step(text(nameNode), nameNode, buildType);
            if (spec.isPresent()) {
                Map<String, Object> args = step.get("args").map(a -> checks.args(spec.get(), (DocNode.Mapping) a)).orElse(Map.of());
                steps.add(new PlanStep(spec.get().name(), spec.get().phase(), flag(step, "required", true),
                        flag(step, "allowed_to_fail", false), StepChecks.withDefaults(spec.get(), args)));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return steps;
    }

    private static List<PlanStep> customize(String buildType, List<PlanStep> template, CustomizeJson customize)
            throws ConfigException {
        String origin = customize.origin();
        DocNode root = DocReader.readJson(origin, customize.text());
        List<ConfigProblem> problems = new ArrayList<>(SchemaChecker.check(origin, root, CUSTOMIZE));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        DocNode.Mapping document = (DocNode.Mapping) root;
        StepChecks checks = new StepChecks(StepCatalog.standard(), origin, problems);
        List<PlanStep> steps = new ArrayList<>(template);
        for (DocNode item : items(document, "disable_plugins")) {
            DocNode.Mapping disable = (DocNode.Mapping) item;
            DocNode nameNode = disable.get("plugin_name").orElseThrow();
            // A step this build type never has is fine to disable: one customize file may serve both types.
            Optional<StepCatalog.StepSpec> spec = StepCatalog.standard().step(text(nameNode));
            if (spec.isEmpty()) {
                checks.step(text(nameNode), nameNode, buildType); // reports the unknown name
                continue;
            }
            disable.get("plugin_type").ifPresent(t -> checks.phase(spec.get(), t, text(t)));
            steps.removeIf(s -> s.name().equals(spec.get().name()));
        }
        for (DocNode item : items(document, "enable_plugins")) {
            enable(buildType, steps, (DocNode.Mapping) item, checks);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return steps;
    }

    private static void enable(String buildType, List<PlanStep> steps, DocNode.Mapping enable, StepChecks checks) {
        DocNode nameNode = enable.get("plugin_name").orElseThrow();
        Optional<StepCatalog.StepSpec> found = checks.step(text(nameNode), nameNode, buildType);
        if (found.isEmpty()) {
            return;
        }
        StepCatalog.StepSpec spec = found.get();
        enable.get("plugin_type").ifPresent(t -> checks.phase(spec, t, text(t)));
        Map<String, Object> args = enable.get("plugin_args")
                .map(a -> checks.args(spec, (DocNode.Mapping) a)).orElse(Map.of());
        int existing = indexOf(steps, spec.name());
        if (existing >= 0) {
            PlanStep step = steps.get(existing);
            for (Map.Entry<String, Object> arg : args.entrySet()) {
                step = step.withArg(arg.getKey(), arg.getValue());
            }
            steps.set(existing, step);
            return;
        }
        PlanStep added = new PlanStep(spec.name(), spec.phase(), true, false, StepChecks.withDefaults(spec, args));
        Optional<DocNode> after = enable.get("after");
        if (after.isEmpty()) {
            int position = 0;
            while (position < steps.size() && steps.get(position).phase().compareTo(spec.phase()) <= 0) {
                position++;
            }
            steps.add(position, added);
            return;
        }
        int anchor = indexOf(steps, text(after.get()));
        if (anchor < 0) {
            checks.problem(after.get(), "after: step '" + text(after.get()) + "' is not in the plan",
                    "name a step of this plan: " + String.join(", ", steps.stream().map(PlanStep::name).toList()));
            return;
        }
        boolean fitsBefore = steps.get(anchor).phase().compareTo(spec.phase()) <= 0;
        boolean fitsAfter = anchor + 1 == steps.size() || steps.get(anchor + 1).phase().compareTo(spec.phase()) >= 0;
        if (!fitsBefore || !fitsAfter) {
            checks.problem(after.get(), "'" + spec.name() + "' (" + spec.phase() + ") cannot run after '"
                    + text(after.get()) + "' (" + steps.get(anchor).phase() + ")",
                    "name a step next to the " + spec.phase() + " steps, or leave 'after' out");
            return;
        }
        steps.add(anchor + 1, added);
    }

    private static List<PlanStep> applyOverrides(List<PlanStep> steps, PlanOverrides overrides) {
        List<PlanStep> result = new ArrayList<>();
        boolean noFloatingTags = overrides.scratch() || overrides.isolated();
        for (PlanStep step : steps) {
            PlanStep changed = switch (step.name()) {
                case "tag_and_push", "group_manifests" -> noFloatingTags ? step.withArg("floating_tags", List.of()) : step;
                case "orchestrate_build" -> overrides.platforms().isEmpty() ? step
                        : step.withArg("platforms", overrides.platforms());
                case "add_labels_in_dockerfile" -> {
                    if (overrides.labels().isEmpty()) {
                        yield step;
                    }
                    Map<String, String> labels = new TreeMap<>(step.stringMapArg("labels"));
                    labels.putAll(overrides.labels());
                    yield step.withArg("labels", labels);
                }
                default -> step;
            };
            result.add(changed);
        }
        return result;
    }

    private static List<DocNode> items(DocNode.Mapping document, String key) {
        return document.get(key).map(n -> ((DocNode.Sequence) n).items()).orElse(List.of());
    }

    private static int indexOf(List<PlanStep> steps, String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(DocNode node) {
        return ((DocNode.Scalar) node).text();
    }

    private static boolean flag(DocNode.Mapping mapping, String key, boolean defaultValue) {
        return mapping.get(key).map(n -> Boolean.parseBoolean(text(n))).orElse(defaultValue);
    }

    private static String readResource(String resource) {
        try (InputStream in = PlanRenderer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing template resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
