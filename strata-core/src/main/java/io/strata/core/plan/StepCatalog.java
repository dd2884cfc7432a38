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
 * types it belongs to, the {@link Artifact}s it needs and provides, and its arguments with their
 * types and defaults. A plan naming a step or
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

    /**
     * What a step takes from earlier steps and gives to later ones.
     *
     * @param needs    it cannot run without these; without them it is skipped
     * @param uses     it runs without these, doing less (a build without pinned parents pulls by tag)
     * @param provides what it adds when it succeeds
     */
    public record Contract(Set<Artifact> needs, Set<Artifact> uses, Set<Artifact> provides) {
        public static final Contract NONE = new Contract(Set.of(), Set.of(), Set.of());

        public Contract {
            needs = Set.copyOf(needs);
            uses = Set.copyOf(uses);
            provides = Set.copyOf(provides);
        }

        static Contract requiring(Artifact... artifacts) {
            return new Contract(Set.of(artifacts), Set.of(), Set.of());
        }

        Contract uses(Artifact... artifacts) {
            return new Contract(needs, Set.of(artifacts), provides);
        }

        Contract provides(Artifact... artifacts) {
            return new Contract(needs, uses, Set.of(artifacts));
        }
    }

    /** One step: name, phase, the build types it may appear in, what it needs and provides, and its arguments. */
    public record StepSpec(String name, StepPhase phase, Set<String> buildTypes, Contract contract, Map<String, ArgSpec> args) {
        public StepSpec {
            buildTypes = Set.copyOf(buildTypes);
            Objects.requireNonNull(contract, "contract");
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }

        public Optional<ArgSpec> arg(String argName) {
            return Optional.ofNullable(args.get(argName));
        }
    }

    private static final StepCatalog STANDARD = new StepCatalog(List.of(
            step("check_out_source", StepPhase.PREBUILD, Set.of(WORKER, ORCHESTRATOR),
                    Contract.requiring().provides(Artifact.SOURCE, Artifact.DOCKERFILE)),
            step("pin_base_images", StepPhase.PREBUILD, Set.of(WORKER, ORCHESTRATOR),
                    Contract.requiring(Artifact.DOCKERFILE).provides(Artifact.PINNED_PARENTS)),
            step("add_labels_in_dockerfile", StepPhase.PREBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.SOURCE, Artifact.DOCKERFILE).provides(Artifact.IMAGE_IDENTITY),
                    new ArgSpec("labels", ArgType.STRING_MAP, Map.of()),
                    new ArgSpec("required_labels", ArgType.STRING_LIST, List.of("com.redhat.component", "name", "version"))),
            step("inject_yum_repos", StepPhase.PREBUILD, Set.of(WORKER),
                    Contract.requiring().provides(Artifact.YUM_REPOS)),
            step("add_build_env", StepPhase.PREBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.DOCKERFILE),
                    new ArgSpec("env", ArgType.STRING_MAP, Map.of())),
            step("buildah_build", StepPhase.BUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.SOURCE, Artifact.DOCKERFILE)
                            .uses(Artifact.PINNED_PARENTS, Artifact.YUM_REPOS).provides(Artifact.BUILT_IMAGE),
                    new ArgSpec("network", ArgType.BOOLEAN, false),
                    new ArgSpec("layers", ArgType.BOOLEAN, true)),
            // The workers it starts label and build the image, so it provides what they did.
            step("orchestrate_build", StepPhase.BUILD, Set.of(ORCHESTRATOR),
                    Contract.requiring(Artifact.SOURCE, Artifact.DOCKERFILE).uses(Artifact.PINNED_PARENTS)
                            .provides(Artifact.IMAGE_IDENTITY, Artifact.BUILT_IMAGE),
                    new ArgSpec("platforms", ArgType.STRING_LIST, List.of())),
            step("tag_and_push", StepPhase.POSTBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.IMAGE_IDENTITY, Artifact.BUILT_IMAGE).provides(Artifact.PUSHED_IMAGE),
                    new ArgSpec("floating_tags", ArgType.STRING_LIST, List.of("latest"))),
            step("gather_image_content", StepPhase.POSTBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.BUILT_IMAGE, Artifact.PUSHED_IMAGE).provides(Artifact.IMAGE_CONTENT)),
            // Supply chain (docs/supply-chain.md): per platform image, so in every worker of a multi-platform build.
            step("attach_sbom", StepPhase.POSTBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.SOURCE, Artifact.IMAGE_IDENTITY, Artifact.BUILT_IMAGE, Artifact.PUSHED_IMAGE)
                            .uses(Artifact.PINNED_PARENTS, Artifact.IMAGE_CONTENT)),
            step("attach_provenance", StepPhase.POSTBUILD, Set.of(WORKER),
                    Contract.requiring(Artifact.SOURCE, Artifact.PUSHED_IMAGE).uses(Artifact.PINNED_PARENTS, Artifact.YUM_REPOS)),
            step("group_manifests", StepPhase.POSTBUILD, Set.of(ORCHESTRATOR),
                    Contract.requiring(Artifact.IMAGE_IDENTITY, Artifact.BUILT_IMAGE).provides(Artifact.PUSHED_IMAGE),
                    new ArgSpec("floating_tags", ArgType.STRING_LIST, List.of("latest"))),
            // Without the rpm content the metadata lists no components and the log says why.
            step("export_koji_metadata", StepPhase.EXIT, Set.of(WORKER, ORCHESTRATOR),
                    Contract.requiring(Artifact.SOURCE, Artifact.IMAGE_IDENTITY, Artifact.BUILT_IMAGE, Artifact.PUSHED_IMAGE)
                            .uses(Artifact.IMAGE_CONTENT))));

    private final Map<String, StepSpec> steps;

    /** A catalogue of other steps; for tests of the executor and the chain check. */
    public static StepCatalog of(List<StepSpec> steps) {
        return new StepCatalog(steps);
    }

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

    /** What a step of this name needs and provides; a step the catalogue does not know needs nothing. */
    public Contract contract(String name) {
        return step(name).map(StepSpec::contract).orElse(Contract.NONE);
    }

    private static StepSpec step(String name, StepPhase phase, Set<String> buildTypes, Contract contract, ArgSpec... args) {
        Map<String, ArgSpec> byName = new LinkedHashMap<>();
        for (ArgSpec arg : args) {
            byName.put(arg.name(), arg);
        }
        return new StepSpec(name, phase, buildTypes, contract, byName);
    }
}
