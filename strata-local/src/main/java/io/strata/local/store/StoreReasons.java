package io.strata.local.store;

/** The reason codes a {@link io.strata.core.store.StoreException} from this store carries. */
public final class StoreReasons {
    /** No build with the given id. */
    public static final String BUILD_NOT_FOUND = "BUILD_NOT_FOUND";
    /** A state change {@link io.strata.core.build.BuildState#canMoveTo} does not allow, or FAILED without a failure. */
    public static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    /** Log lines whose sequence numbers do not continue the build's log. */
    public static final String LOG_OUT_OF_SEQUENCE = "LOG_OUT_OF_SEQUENCE";
    /** The database cannot be reached, or the URL names none the store supports. */
    public static final String STORE_UNAVAILABLE = "STORE_UNAVAILABLE";
    /** The schema migration on start failed. */
    public static final String STORE_MIGRATION_FAILED = "STORE_MIGRATION_FAILED";
    /** A stored document could not be read back. */
    public static final String STORE_CORRUPT = "STORE_CORRUPT";
    /** The database refused an operation for another reason. */
    public static final String STORE_ERROR = "STORE_ERROR";
    /** The calling thread was interrupted (a cancelled build) while waiting for the database. */
    public static final String STORE_INTERRUPTED = "STORE_INTERRUPTED";

    /** The build's lease belongs to no one, or to another process: it was reconciled as orphaned. */
    public static final String LEASE_LOST = "LEASE_LOST";

    private StoreReasons() {}
}
