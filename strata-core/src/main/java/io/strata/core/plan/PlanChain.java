package io.strata.core.plan;

import io.strata.core.config.ConfigProblem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a plan's steps hand each other what they need: every artifact a step needs must be
 * provided by an earlier step, and a step that must not fail may not depend on one that is allowed
 * to (that step's failure would leave it nothing to work on).
 */
public final class PlanChain {
    private PlanChain() {}

    /** Every broken link of the chain, as problems of the document {@code origin}. */
    public static List<ConfigProblem> problems(String origin, List<PlanStep> steps, StepCatalog catalog) {
        List<ConfigProblem> problems = new ArrayList<>();
        // Which step provided an artifact first: a required step must not depend on an allowed-to-fail provider.
        Map<Artifact, PlanStep> providers = new EnumMap<>(Artifact.class);
        for (PlanStep step : steps) {
            StepCatalog.Contract contract = catalog.contract(step.name());
            for (Artifact needed : contract.needs().stream().sorted().toList()) {
                PlanStep provider = providers.get(needed);
                if (provider == null) {
                    problems.add(new ConfigProblem(origin, 0, "step '" + step.name() + "' needs " + needed.description()
                            + ", which no earlier step of the plan provides",
                            fixFor(step, needed, catalog)));
                } else if (!step.allowedToFail() && provider.allowedToFail()) {
                    problems.add(new ConfigProblem(origin, 0, "step '" + step.name() + "' must not fail but needs "
                            + needed.description() + " from '" + provider.name() + "', which is allowed to fail",
                            "make '" + provider.name() + "' required, or allow '" + step.name() + "' to fail"));
                }
            }
            for (Artifact provided : contract.provides()) {
                providers.putIfAbsent(provided, step);
            }
        }
        return problems;
    }

    private static String fixFor(PlanStep step, Artifact needed, StepCatalog catalog) {
        Set<String> providers = catalog.steps().stream()
                .filter(spec -> spec.contract().provides().contains(needed))
                .map(StepCatalog.StepSpec::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        return providers.isEmpty()
                ? "disable '" + step.name() + "'"
                : "enable " + providers.stream().map(name -> "'" + name + "'").collect(Collectors.joining(" or "))
                        + " before it, or disable '" + step.name() + "'";
    }
}
