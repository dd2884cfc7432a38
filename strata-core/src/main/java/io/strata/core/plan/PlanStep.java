package io.strata.core.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One step of a plan with its arguments filled in (defaults included), so a stored plan says
 * exactly what ran. Argument values are plain JSON values: String, Boolean, List of String, Map of
 * String to String; the typed accessors read them.
 *
 * @param name          a {@link StepCatalog} step name
 * @param phase         when it runs
 * @param required      a failure of this step fails the build
 * @param allowedToFail a failure is recorded and the build goes on (exit steps, metadata gathering)
 * @param args          arguments by name, sorted
 */
public record PlanStep(
        String name,
        StepPhase phase,
        boolean required,
        @JsonProperty("allowed_to_fail") boolean allowedToFail,
        Map<String, Object> args) {

    public PlanStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        args = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(args, Map.of())));
    }

    /** A copy with one argument set. */
    public PlanStep withArg(String argName, Object value) {
        Map<String, Object> changed = new TreeMap<>(args);
        changed.put(argName, value);
        return new PlanStep(name, phase, required, allowedToFail, changed);
    }

    public Optional<String> stringArg(String argName) {
        return Optional.ofNullable(typed(argName, String.class));
    }

    public boolean boolArg(String argName, boolean defaultValue) {
        Boolean value = typed(argName, Boolean.class);
        return value == null ? defaultValue : value;
    }

    /** The list argument, empty when unset. */
    @SuppressWarnings("unchecked")
    public List<String> stringListArg(String argName) {
        List<String> value = typed(argName, List.class);
        return value == null ? List.of() : List.copyOf(value);
    }

    /** The map argument, empty when unset; iteration order is the key order. */
    @SuppressWarnings("unchecked")
    public Map<String, String> stringMapArg(String argName) {
        Map<String, String> value = typed(argName, Map.class);
        return value == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(value));
    }

    private <T> T typed(String argName, Class<T> type) {
        Object value = args.get(argName);
        if (value != null && !type.isInstance(value)) {
            // PlanRenderer and Plan.fromJson check types against the catalogue, so this is a caller bug.
            throw new IllegalStateException("argument " + argName + " of step " + name + " is not a " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
