package io.strata.core.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The schema of plans: every step the build pipeline implements, the phase it runs in, the build
 * types it belongs to, and its arguments with their types and defaults. A plan naming a step or
 * argument not listed here, or giving an argument the wrong type, is rejected.
 */
public final class StepCatalog {
    public static final String WORKER = "worker";
    public static final String ORCHESTRATOR = "orchestrator";
    public static final List<String> BUILD_TYPES = List.of(WORKER, ORCHESTRATOR);

    /** The types a step argument can have; what JSON reads them as is checked by {@link #accepts}. */
    public enum ArgType {
        STRING("a string"),
        BOOLEAN("true or false"),
        STRING_LIST("a list of strings"),
        STRING_MAP("a mapping of strings to strings");

        private final String description;

        ArgType(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** Whether a plain JSON value (String, Boolean, List, Map) has this type. */
        public boolean accepts(Object value) {
            return switch (this) {
                case STRING -> value instanceof String;
                case BOOLEAN -> value instanceof Boolean;
                case STRING_LIST -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
                case STRING_MAP -> value instanceof Map<?, ?> map
                        && map.keySet().stream().allMatch(String.class::isInstance)
                        && map.values().stream().allMatch(String.class::isInstance);
            };
        }
    }

    /** One argument: its type and the value used when neither template nor customization sets it. */
    public record ArgSpec(String name, ArgType type, Object defaultValue) {
        public ArgSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (!type.accepts(defaultValue)) {
                throw new IllegalArgumentException("default of " + name + " is not " + type.description());
            }
        }
    }

    /** One step: name, phase, the build types it may appear in, and its arguments. */
    public record StepSpec(String name, StepPhase phase, Set<String> buildTypes, Map<String, ArgSpec> args) {
        public StepSpec {
            buildTypes = Set.copyOf(buildTypes);
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }

        public Optional<ArgSpec> arg(String argName) {
            return Optional.ofNullable(args.get(argName));
        }
    }

    private static final StepCatalog STANDARD = new StepCatalog(List.of(
            step("check_out_source", StepPhase.PREBUILD, Set.of(WORKER, ORCHESTRATOR)),
            step("pin_base_images", StepPhase.PREBUILD, Set.of(WORKER, ORCHESTRATOR)),
            step("add_labels_in_dockerfile", StepPhase.PREBUILD, Set.of(WORKER),
                    new ArgSpec("labels", ArgType.STRING_MAP, Map.of()),
                    new ArgSpec("required_labels", ArgType.STRING_LIST, List.of("com.redhat.component", "name", "version"))),
            step("inject_yum_repos", StepPhase.PREBUILD, Set.of(WORKER)),
            step("add_build_env", StepPhase.PREBUILD, Set.of(WORKER),
                    new ArgSpec("env", ArgType.STRING_MAP, Map.of())),
            step("buildah_build", StepPhase.BUILD, Set.of(WORKER),
                    new ArgSpec("network", ArgType.BOOLEAN, false),
                    new ArgSpec("layers", ArgType.BOOLEAN, true)),
            step("orchestrate_build", StepPhase.BUILD, Set.of(ORCHESTRATOR),
                    new ArgSpec("platforms", ArgType.STRING_LIST, List.of())),
            step("tag_and_push", StepPhase.POSTBUILD, Set.of(WORKER),
                    new ArgSpec("floating_tags", ArgType.STRING_LIST, List.of("latest"))),
            step("gather_image_content", StepPhase.POSTBUILD, Set.of(WORKER)),
            step("group_manifests", StepPhase.POSTBUILD, Set.of(ORCHESTRATOR),
                    new ArgSpec("floating_tags", ArgType.STRING_LIST, List.of("latest"))),
            step("export_koji_metadata", StepPhase.EXIT, Set.of(WORKER, ORCHESTRATOR))));

    private final Map<String, StepSpec> steps;

    private StepCatalog(List<StepSpec> steps) {
        Map<String, StepSpec> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        this.steps = Collections.unmodifiableMap(byName);
    }

    /** The steps the build pipeline implements. */
    public static StepCatalog standard() {
        return STANDARD;
    }

    public Optional<StepSpec> step(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    /** All steps in catalogue order (phase order). */
    public List<StepSpec> steps() {
        return List.copyOf(steps.values());
    }

    public Set<String> stepNames() {
        return steps.keySet();
    }

    private static StepSpec step(String name, StepPhase phase, Set<String> buildTypes, ArgSpec... args) {
        Map<String, ArgSpec> byName = new LinkedHashMap<>();
        for (ArgSpec arg : args) {
            byName.put(arg.name(), arg);
        }
        return new StepSpec(name, phase, buildTypes, byName);
    }
}
