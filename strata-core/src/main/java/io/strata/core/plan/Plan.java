package io.strata.core.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.strata.core.config.ConfigException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered steps of one build, rendered from an arrangement template, a customization and the
 * request. Immutable; stored with each build as JSON ({@link #toJson()}) and read back with
 * {@link #fromJson(String, String)}, which checks it against the {@link StepCatalog} again.
 *
 * @param buildType          {@code worker} or {@code orchestrator}
 * @param arrangementVersion the template version it came from
 * @param steps              in execution order: by phase, then template order
 */
public record Plan(
        @JsonProperty("build_type") String buildType,
        @JsonProperty("arrangement_version") int arrangementVersion,
        List<PlanStep> steps) {

    public Plan {
        Objects.requireNonNull(buildType, "buildType");
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).phase().compareTo(steps.get(i - 1).phase()) < 0) {
                throw new IllegalArgumentException("step " + steps.get(i).name() + " (" + steps.get(i).phase()
                        + ") comes after " + steps.get(i - 1).name() + " (" + steps.get(i - 1).phase() + ")");
            }
        }
    }

    public Optional<PlanStep> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Pretty-printed JSON with arguments in key order: stable, so stored plans diff cleanly. */
    public String toJson() {
        return PlanJson.write(this);
    }

    /**
     * Begins, once per process, what the first {@link #toJson()} costs: the mapper is made on this thread,
     * the first write (Jackson's set-up of the plan's records) is done in the background.
     */
    public void warmUpJson() {
        PlanJson.warmUpInBackground(this);
    }

    /**
     * Reads a plan written by {@link #toJson()}, checking every step and argument against the
     * catalogue. {@code origin} names the document in messages (a file, or "build 42 plan").
     */
    public static Plan fromJson(String origin, String json) throws ConfigException {
        return PlanJson.read(origin, json);
    }
}
