package io.strata.core.config;

/**
 * The kinds of build osbs-client keeps separate node selectors for
 * ({@code <kind>_build_node_selector}).
 */
public enum BuildKind {
    /** pushed under a unique tag only. */
    SCRATCH,
    /** started by a person. */
    EXPLICIT,
    /** started by a base-image change (autorebuild). */
    AUTO,
    /** a rebuild of an existing release, e.g. a security fix. */
    ISOLATED
}
