package io.strata.core.pipeline;

import io.strata.core.StrataException;

/**
 * One unit of the pipeline. Its inputs come through its constructor (collaborators) and through the
 * typed state it is given; it returns the state with its own results added. A step never reads
 * another step's results through a string-keyed map: the state type names them.
 *
 * @param <S> the immutable state threaded through the plan
 */
@FunctionalInterface
public interface Step<S> {
    S run(S state, StepContext context) throws StrataException, InterruptedException;
}
