package io.strata.core.build;

/** How one step of the plan ended. */
public enum StepOutcome {
    SUCCEEDED,
    /** The step failed but the plan allows it to ({@code allowed_to_fail}); the build went on. */
    FAILED_ALLOWED,
    FAILED,
    CANCELLED,
    /** Disabled in the plan, or nothing to do for this build (reason in the log). */
    SKIPPED
}
