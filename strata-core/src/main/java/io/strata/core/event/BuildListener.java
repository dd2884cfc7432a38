package io.strata.core.event;

/**
 * Receives a build's events in order, on the thread that runs the build. A listener must not
 * block for long; one that throws is reported once and then ignored by {@link EventBus}.
 */
@FunctionalInterface
public interface BuildListener {
    void on(BuildEvent event);
}
