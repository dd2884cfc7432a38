package io.strata.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers each event to every listener, in registration order. A failing listener (a full
 * disk under the store, a closed terminal) must not stop the build, so its exception is handed
 * to the error handler instead of propagating.
 */
public final class EventBus implements BuildListener {
    private final List<BuildListener> listeners = new CopyOnWriteArrayList<>();
    private final ListenerErrorHandler errorHandler;

    public EventBus(ListenerErrorHandler errorHandler) {
        this.errorHandler = errorHandler;
    }

    public EventBus subscribe(BuildListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public void on(BuildEvent event) {
        for (BuildListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                errorHandler.failed(listener, event, e);
            }
        }
    }

    /** What to do when a listener throws. */
    @FunctionalInterface
    public interface ListenerErrorHandler {
        void failed(BuildListener listener, BuildEvent event, RuntimeException error);
    }
}
