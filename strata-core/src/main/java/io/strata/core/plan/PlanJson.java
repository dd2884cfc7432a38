package io.strata.core.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.config.doc.DocNode;
import io.strata.core.config.doc.DocReader;
import io.strata.core.config.doc.JsonStyle;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.core.config.doc.Schema;
import io.strata.core.config.doc.SchemaChecker;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes plans as JSON and reads them back, checked against the {@link StepCatalog}. */
final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .defaultPrettyPrinter(JsonStyle.prettyPrinter())
            .build();

    private static final Schema.Obj SHAPE = Schema.object()
            .required("build_type", Schema.oneOf(StepCatalog.BUILD_TYPES.toArray(String[]::new)))
            .required("arrangement_version", Schema.integer(1, Integer.MAX_VALUE))
            .required("steps", Schema.listOf(Schema.object()
                    .required("name", Schema.string())
                    .required("phase", Schema.oneOf(Arrays.stream(StepPhase.values()).map(Enum::name).toArray(String[]::new)))
                    .required("required", Schema.bool())
                    .required("allowed_to_fail", Schema.bool())
                    .required("args", Schema.mapOf(Schema.any()))
                    .build()))
            .build();

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private PlanJson() {}

    /**
     * Writes {@code plan} once per process on a thread of its own ({@link io.strata.core.pipeline.Background#warmUp}),
     * and drops the text: the first plan a process writes costs Jackson's set-up of the plan's records
     * (20-40 ms in a command's fresh JVM), which a command then pays while its store opens instead of when
     * it submits the build. Only the write is in the background: the first call initialises this class
     * (its mapper and {@link #SHAPE}) on the caller's thread, 12-24 ms of a fresh JVM. Making the mapper on
     * the warm-up thread too was measured and dropped (docs/benchmarks.md, "Through the command line,
     * third pass"): the gain was inside that machine's noise.
     */
    static void warmUpInBackground(Plan plan) {
        if (WARMED.compareAndSet(false, true)) {
            io.strata.core.pipeline.Background.warmUp("strata-plan-json-warm-up", () -> write(plan));
        }
    }

    static String write(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a Plan always serialises", e);
        }
    }

    static Plan read(String origin, String json) throws ConfigException {
        DocNode root = DocReader.readJson(origin, json);
        List<ConfigProblem> problems = new ArrayList<>(SchemaChecker.check(origin, root, SHAPE));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        DocNode.Mapping plan = (DocNode.Mapping) root;
        String buildType = text(plan, "build_type");
        StepChecks checks = new StepChecks(StepCatalog.standard(), origin, problems);
        List<PlanStep> steps = new ArrayList<>();
        for (DocNode item : ((DocNode.Sequence) plan.get("steps").orElseThrow()).items()) {
            DocNode.Mapping step = (DocNode.Mapping) item;
            String name = text(step, "name");
            Optional<StepCatalog.StepSpec> spec = checks.step(name, step.get("name").orElseThrow(), buildType);
            if (spec.isEmpty()) {
                continue;
            }
            StepPhase phase = StepPhase.valueOf(text(step, "phase"));
            if (phase != spec.get().phase()) {
                checks.problem(step.get("phase").orElseThrow(), "step '" + name + "' runs in " + spec.get().phase()
                        + ", not " + phase, "write \"phase\": \"" + spec.get().phase() + "\"");
            }
            Map<String, Object> args = checks.args(spec.get(), (DocNode.Mapping) step.get("args").orElseThrow());
            steps.add(new PlanStep(name, spec.get().phase(), flag(step, "required"), flag(step, "allowed_to_fail"),
                    StepChecks.withDefaults(spec.get(), args)));
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).phase().compareTo(steps.get(i - 1).phase()) < 0) {
                problems.add(new ConfigProblem(origin, 0, "step '" + steps.get(i).name() + "' (" + steps.get(i).phase()
                        + ") comes after '" + steps.get(i - 1).name() + "' (" + steps.get(i - 1).phase() + ")",
                        "order the steps PREBUILD, BUILD, POSTBUILD, EXIT"));
            }
        }
        if (problems.isEmpty()) {
            // Only a plan of known, well-typed steps has a chain worth checking.
            problems.addAll(PlanChain.problems(origin, steps, StepCatalog.standard()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        long version = Long.parseLong(((DocNode.Scalar) plan.get("arrangement_version").orElseThrow()).text());
        return new Plan(buildType, (int) version, steps);
    }

    private static String text(DocNode.Mapping mapping, String key) {
        return ((DocNode.Scalar) mapping.get(key).orElseThrow()).text();
    }

    private static boolean flag(DocNode.Mapping mapping, String key) {
        return Boolean.parseBoolean(text(mapping, key));
    }
}
