package io.strata.server;

import io.strata.core.StrataException;
import io.strata.local.store.QueueCount;
import io.strata.local.store.QueueDrain;
import java.util.List;

/** What the service's metrics and admission read of the queue: the store's view, shared by the whole fleet. */
public interface QueueView {
    List<QueueCount> counts() throws StrataException;

    int pending() throws StrataException;

    List<QueueDrain> drains() throws StrataException;
}
