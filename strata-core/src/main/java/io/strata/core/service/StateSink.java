package io.strata.core.service;

import io.strata.core.build.BuildId;
import io.strata.core.build.StateTransition;

/** Receives the states a followed build enters; answers false to stop following (the client left). */
@FunctionalInterface
public interface StateSink {
    /**
     * @param index position of the transition in the build's history, from 1 (1 is NEW); a client
     *              resumes by passing the last index it saw as {@code afterTransitions}
     */
    boolean accept(BuildId id, int index, StateTransition transition);
}
