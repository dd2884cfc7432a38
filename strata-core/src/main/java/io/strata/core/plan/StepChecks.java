package io.strata.core.plan;

import io.strata.core.config.ConfigProblem;
import io.strata.core.config.Suggestions;
import io.strata.core.config.doc.DocNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks templates, customize documents and stored plans share: is a step name known and
 * allowed in this build type, are its arguments known and of the right type. Each failure is a
 * {@link ConfigProblem} at the offending node.
 */
final class StepChecks {
    private final StepCatalog catalog;
    private final String origin;
    private final List<ConfigProblem> problems;

    StepChecks(StepCatalog catalog, String origin, List<ConfigProblem> problems) {
        this.catalog = catalog;
        this.origin = origin;
        this.problems = problems;
    }

    /** The catalogue entry for a step name written at {@code node}, if it is known and fits the build type. */
    Optional<StepCatalog.StepSpec> step(String name, DocNode node, String buildType) {
        Optional<StepCatalog.StepSpec> spec = catalog.step(name);
        if (spec.isEmpty()) {
            problem(node, "unknown step '" + name + "'", Suggestions.fixFor(name, catalog.stepNames(), "steps"));
            return Optional.empty();
        }
        if (!spec.get().buildTypes().contains(buildType)) {
            problem(node, "step '" + name + "' does not run in " + buildType + " builds",
                    "remove it; it runs in " + String.join(", ", spec.get().buildTypes().stream().sorted().toList()) + " builds");
            return Optional.empty();
        }
        return spec;
    }

    /** Checks a {@code plugin_type} against the step's phase. */
    void phase(StepCatalog.StepSpec spec, DocNode typeNode, String pluginType) {
        Optional<StepPhase> phase = StepPhase.fromPluginType(pluginType);
        if (phase.isEmpty()) {
            problem(typeNode, "unknown plugin_type '" + pluginType + "'",
                    "write prebuild_plugins, buildstep_plugins, postbuild_plugins or exit_plugins, or leave it out");
        } else if (phase.get() != spec.phase()) {
            problem(typeNode, "step '" + spec.name() + "' runs in " + spec.phase() + ", not " + phase.get(),
                    "leave plugin_type out, or write the step's own phase");
        }
    }

    /** The arguments written in {@code args}, checked; unknown or mistyped ones are left out and reported. */
    Map<String, Object> args(StepCatalog.StepSpec spec, DocNode.Mapping args) {
        Map<String, Object> checked = new LinkedHashMap<>();
        for (DocNode.Entry entry : args.entries()) {
            Optional<StepCatalog.ArgSpec> arg = spec.arg(entry.key());
            if (arg.isEmpty()) {
                problems.add(new ConfigProblem(origin, entry.keyPosition().line(), entry.keyPosition().column(),
                        "step '" + spec.name() + "' has no argument '" + entry.key() + "'",
                        spec.args().isEmpty() ? "remove it; " + spec.name() + " takes no arguments"
                                : Suggestions.fixFor(entry.key(), spec.args().keySet(), "arguments of " + spec.name())));
                continue;
            }
            Object value = entry.value().toPlain();
            if (!arg.get().type().accepts(value)) {
                problem(entry.value(), spec.name() + "." + entry.key() + ": expected " + arg.get().type().description()
                        + ", found " + entry.value().kind(), "write " + arg.get().type().description());
                continue;
            }
            checked.put(entry.key(), value);
        }
        return checked;
    }

    /** Every argument of {@code spec} at its default, then {@code given} over them. */
    static Map<String, Object> withDefaults(StepCatalog.StepSpec spec, Map<String, Object> given) {
        Map<String, Object> all = new LinkedHashMap<>();
        spec.args().values().forEach(a -> all.put(a.name(), a.defaultValue()));
        all.putAll(given);
        return all;
    }

    void problem(DocNode node, String message, String fix) {
        problems.add(new ConfigProblem(origin, node.position().line(), node.position().column(), message, fix));
    }
}
