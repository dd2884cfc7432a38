package io.strata.core.store;

import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import java.util.Objects;

/**
 * A claimed build: it is RUNNING under the claimer's lease now.
 *
 * @param fencingToken pass to {@link BuildStore#finishClaim} and {@link BuildStore#requeue}: a
 *                     claimer whose token is no longer current (the build was reconciled and
 *                     claimed again meanwhile) cannot overwrite what the newer attempt does
 * @param attempt      1 for the first run, 2 for the first retry, ...
 * @param logEnd       the sequence of the build's last log line: a later attempt's log continues it
 * @param request      the build's stored request (without credentials), read by the claim itself
 * @param planJson     the build's stored plan: with the request, what a worker needs, so the
 *                     claimer does not read the whole record again
 */
public record QueueClaim(BuildId id, long fencingToken, int attempt, long logEnd, BuildRequest request,
        String planJson) {
    public QueueClaim {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(planJson, "planJson");
    }
}
