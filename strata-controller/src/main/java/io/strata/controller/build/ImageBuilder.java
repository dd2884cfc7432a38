package io.strata.controller.build;

/**
 * A way to run a layered build on the cluster. Both ConfigMaps exist before {@link #start}; every
 * method is idempotent, so a reconcile that runs again (or a restarted controller) re-attaches to the
 * builder object by its fixed name instead of starting another.
 */
public interface ImageBuilder {
    /** Creates the builder object unless it exists. */
    void start(LayeredBuild build);

    /** What the builder object says now. */
    BuildProgress progress(LayeredBuild build);

    /** Removes the builder object (cancelling it when running) and what it published. */
    void remove(LayeredBuild build);
}
