package io.strata.core.service;

import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;

/** Receives a followed build's log lines in order; answers false to stop following. */
@FunctionalInterface
public interface LogSink {
    boolean accept(BuildId id, LogLine line);
}
