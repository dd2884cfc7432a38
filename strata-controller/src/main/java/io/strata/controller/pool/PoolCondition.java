package io.strata.controller.pool;

/** The build conditions of a pool, as the operator names them; exactly one is True while the pool builds. */
public enum PoolCondition {
    BUILD_PENDING("BuildPending"),
    BUILDING("Building"),
    BUILD_SUCCESS("BuildSuccess"),
    BUILD_FAILED("BuildFailed"),
    BUILD_INTERRUPTED("BuildInterrupted");

    /** Not a build condition: why the pool cannot build at all (inputs) or its last build failed. */
    public static final String DEGRADED = "Degraded";

    private final String type;

    PoolCondition(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }
}
