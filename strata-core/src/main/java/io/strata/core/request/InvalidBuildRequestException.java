package io.strata.core.request;

import io.strata.core.StrataException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A build request that cannot be built: the reason is the first violation's code, the message
 * lists every violation (with its own code when there are several), the hint is each one's fix.
 */
public final class InvalidBuildRequestException extends StrataException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidBuildRequestException(List<Violation> violations) {
        super(violations.get(0).code().name(), message(violations),
                violations.stream().map(Violation::fix).distinct().collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String message(List<Violation> violations) {
        if (violations.size() == 1) {
            // The front end prints the reason code after this line: no second copy here.
            return "invalid build request: " + violations.get(0).describe();
        }
        return "invalid build request, " + violations.size() + " problems:"
                + violations.stream().map(v -> "\n  " + v).collect(Collectors.joining());
    }
}
