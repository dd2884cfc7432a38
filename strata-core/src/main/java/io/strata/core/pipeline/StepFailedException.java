package io.strata.core.pipeline;

import io.strata.core.StrataException;

/** A required step failed; carries the step's name and keeps the cause's reason code and hint. */
public final class StepFailedException extends StrataException {
    private static final long serialVersionUID = 1L;

    private final String step;

    public StepFailedException(String step, StrataException cause) {
        super(cause.reason(), cause.getMessage(), cause.hint(), cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
