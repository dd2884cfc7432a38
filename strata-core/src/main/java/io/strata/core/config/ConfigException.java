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

    public ConfigException(List<ConfigProblem> problems) {
        super(REASON, message(problems), "correct every problem listed above; each names its file:line and what to write");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0).describe();
        }
        return "invalid configuration, " + problems.size() + " problems:" + problems.stream()
                .map(p -> "\n  " + p.describe())
                .collect(Collectors.joining());
    }
}
