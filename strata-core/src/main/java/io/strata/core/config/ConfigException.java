package io.strata.core.config;

import io.strata.core.StrataException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration document (osbs.conf, reactor config, customize JSON) that cannot be used. Carries
 * every problem found, so the message lists them all with their locations and fixes.
 */
public final class ConfigException extends StrataException {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "CONFIG_INVALID";

    private final transient List<ConfigProblem> problems;
    private final transient List<ConfigProblem> warnings;

    /**
     * @param problems what makes the document unusable (at least one)
     * @param warnings what was also noticed (unknown keys, ...); often the cause, so front ends show them too
     */
    public ConfigException(List<ConfigProblem> problems, List<ConfigProblem> warnings) {
        super(REASON, message(problems), hint(problems));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, List.of());
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    public List<ConfigProblem> warnings() {
        return warnings;
    }

    private static String hint(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.size() == 1 ? problems.get(0).fix() : "correct every problem listed above; each says what to write";
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            ConfigProblem only = problems.get(0);
            return "invalid configuration: " + only.where() + ": " + only.message();
        }
        return "invalid configuration, " + problems.size() + " problems:" + problems.stream()
                .map(p -> "\n  " + p.describe())
                .collect(Collectors.joining());
    }
}
