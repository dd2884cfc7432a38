package io.strata.controller.osbuild;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A MachineOSBuild's conditions: Prepared, Building, Succeeded, Interrupted, Failed; one True at a
 * time. The last three are terminal: once one is True the build never changes again.
 */
public enum OsBuildCondition {
    PREPARED("Prepared"), BUILDING("Building"), SUCCEEDED("Succeeded"), INTERRUPTED("Interrupted"), FAILED("Failed");

    private static final Set<OsBuildCondition> TERMINAL = Set.of(SUCCEEDED, INTERRUPTED, FAILED);

    private final String type;

    OsBuildCondition(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    /** The True condition of these, if any. */
    public static Optional<OsBuildCondition> current(List<Condition> conditions) {
        for (OsBuildCondition candidate : values()) {
            if (conditions != null && conditions.stream().anyMatch(c -> candidate.type.equals(c.getType()) && "True".equals(c.getStatus()))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean terminal(List<Condition> conditions) {
        return current(conditions).filter(TERMINAL::contains).isPresent();
    }

    /** {@code conditions} with {@code this} True and the others False; transition times kept where nothing moved. */
    public List<Condition> set(List<Condition> conditions, String reason, String message, Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> result = new ArrayList<>();
        for (OsBuildCondition each : values()) {
            String status = each == this ? "True" : "False";
            Condition old = conditions == null ? null
                    : conditions.stream().filter(c -> each.type.equals(c.getType())).findFirst().orElse(null);
            Condition condition = new Condition();
            condition.setType(each.type);
            condition.setStatus(status);
            condition.setReason(each == this ? reason : "NOT_CURRENT");
            condition.setMessage(each == this ? message : "");
            condition.setLastTransitionTime(old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime() : now);
            result.add(condition);
        }
        return result;
    }
}
