package io.strata.core.store;

import io.strata.core.build.BuildId;

/**
 * A claimed build: it is RUNNING under the claimer's lease now.
 *
 * @param fencingToken pass to {@link BuildStore#finishClaim} and {@link BuildStore#requeue}: a
 *                     claimer whose token is no longer current (the build was reconciled and
 *                     claimed again meanwhile) cannot overwrite what the newer attempt does
 * @param attempt      1 for the first run, 2 for the first retry, ...
 * @param logEnd       the sequence of the build's last log line: a later attempt's log continues it
 */
public record QueueClaim(BuildId id, long fencingToken, int attempt, long logEnd) {}
