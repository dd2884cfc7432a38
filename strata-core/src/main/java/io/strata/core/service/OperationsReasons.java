package io.strata.core.service;

/** Reason codes of operating the service: engines, admission, pruning (docs/reasons.md, "Operations"). */
public final class OperationsReasons {
    /** Drain or undrain of a name that is neither a known engine nor a known platform (REST: 404). */
    public static final String ENGINE_UNKNOWN = "ENGINE_UNKNOWN";
    /** An operation only admins may do, asked by another user (REST: 403). */
    public static final String ADMIN_REQUIRED = "ADMIN_REQUIRED";
    /** strata_queue_max_pending builds wait already (REST: 429 with Retry-After). */
    public static final String QUEUE_FULL = "QUEUE_FULL";
    /** A prune duration (--keep-younger-than, strata_prune_keep, strata_prune_interval) that does not parse. */
    public static final String DURATION_INVALID = "DURATION_INVALID";

    private OperationsReasons() {}
}
