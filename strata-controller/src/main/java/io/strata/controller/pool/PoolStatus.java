package io.strata.controller.pool;

import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolCondition;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pool's conditions as the controller wants them: computed from the ones it has, changed only
 * where the build moved (a condition keeps its lastTransitionTime while its status stays).
 *
 * <p>Every build condition's message starts with the builder object's name ({@code build-R: ...}),
 * so the controller knows which build the conditions speak of without any state of its own.
 */
public final class PoolStatus {
    private static final Set<String> OURS = Arrays.stream(PoolCondition.values()).map(PoolCondition::type)
            .collect(Collectors.toUnmodifiableSet());

    private final List<MachineConfigPoolCondition> conditions;
    private final Clock clock;

    private PoolStatus(List<MachineConfigPoolCondition> conditions, Clock clock) {
        this.conditions = conditions;
        this.clock = clock;
    }

    public static PoolStatus of(MachineConfigPool pool, Clock clock) {
        List<MachineConfigPoolCondition> copy = new ArrayList<>();
        Optional.ofNullable(pool.getStatus()).map(MachineConfigPoolStatus::getConditions).orElse(List.of())
                .forEach(c -> copy.add(new MachineConfigPoolCondition(c.getLastTransitionTime(), c.getMessage(), c.getReason(),
                        c.getStatus(), c.getType())));
        return new PoolStatus(copy, clock);
    }

    public List<MachineConfigPoolCondition> conditions() {
        return List.copyOf(conditions);
    }

    /** The build condition that is True and speaks of {@code builder}, if any. */
    public Optional<PoolCondition> trueAbout(String builder) {
        return Arrays.stream(PoolCondition.values())
                .filter(type -> find(type.type()).filter(c -> "True".equals(c.getStatus()) && isAbout(c, builder)).isPresent())
                .findFirst();
    }

    private static boolean isAbout(MachineConfigPoolCondition condition, String builder) {
        return condition.getMessage() != null && condition.getMessage().startsWith(builder + ":");
    }

    /** {@code type} True, every other build condition False: the lockstep of the seed. */
    public PoolStatus build(PoolCondition type, String builder, String reason, String message) {
        for (PoolCondition other : PoolCondition.values()) {
            if (other == type) {
                set(other.type(), "True", reason, builder + ": " + message);
            } else {
                set(other.type(), "False", "", "");
            }
        }
        return this;
    }

    public PoolStatus degraded(String reason, String message) {
        set(PoolCondition.DEGRADED, "True", reason, message);
        return this;
    }

    public PoolStatus notDegraded() {
        set(PoolCondition.DEGRADED, "False", "", "");
        return this;
    }

    /** Removes the build conditions and Degraded: the pool left layering. */
    public PoolStatus cleared() {
        conditions.removeIf(c -> OURS.contains(c.getType()) || PoolCondition.DEGRADED.equals(c.getType()));
        return this;
    }

    /** Whether {@code other} differs from these in anything but the transition times. */
    public boolean differsFrom(PoolStatus other) {
        return !key(conditions).equals(key(other.conditions));
    }

    private static List<String> key(List<MachineConfigPoolCondition> list) {
        return list.stream().map(c -> c.getType() + "|" + c.getStatus() + "|" + Objects.toString(c.getReason(), "") + "|"
                + Objects.toString(c.getMessage(), "")).sorted().toList();
    }

    private Optional<MachineConfigPoolCondition> find(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private void set(String type, String status, String reason, String message) {
        Optional<MachineConfigPoolCondition> existing = find(type);
        if (existing.isEmpty()) {
            conditions.add(new MachineConfigPoolCondition(now(), message, reason, status, type));
            return;
        }
        MachineConfigPoolCondition condition = existing.get();
        if (!status.equals(condition.getStatus())) {
            condition.setLastTransitionTime(now());
        }
        condition.setStatus(status);
        condition.setReason(reason);
        condition.setMessage(message);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
