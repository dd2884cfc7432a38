package io.strata.core.engine;

import io.strata.core.StrataException;

/**
 * What a build's record already holds of a worker's log, for an engine that re-attaches to a
 * worker still running after a service restart: the worker's log starts again from its first line
 * when followed anew, and the lines the record has must not be recorded twice.
 */
@FunctionalInterface
public interface RecordedLog {
    /** A record that holds nothing yet. */
    RecordedLog NOTHING = after -> 0;

    /**
     * How many of the record's lines after sequence {@code after} (where the log ended when the
     * worker started) came from the worker: the service's own notes between them (the queue's) do
     * not count.
     */
    long workerLinesAfter(long after) throws StrataException;
}
