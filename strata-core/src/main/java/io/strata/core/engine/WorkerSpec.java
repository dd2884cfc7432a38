package io.strata.core.engine;

import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import java.util.Objects;

/**
 * Everything a worker needs to build, as plain data that can travel to another process or a pod:
 * the build's id, its request (with its credentials, read from the service's secret store: a spec
 * is never stored or logged), the plan as JSON, the platform, which attempt this is (from 1; a
 * transient failure is tried again) and where the build's log ends so far ({@code logAfter}: the
 * worker numbers its lines after it, so a later attempt's log continues the earlier one's),
 * for one platform's worker of a multi-platform build, that build ({@code orchestrator}) and what
 * was resolved about the build's inputs before it started ({@code resolved}: the commit and pinned
 * parents build avoidance looked up, so the worker does not look them up again).
 */
public record WorkerSpec(BuildId buildId, BuildRequest request, String planJson, String platform, int attempt,
        long logAfter, java.util.Optional<BuildId> orchestrator, java.util.Optional<ResolvedInputs> resolved) {
    /** The worker of a build of its own (no orchestrator), nothing resolved yet. */
    public WorkerSpec(BuildId buildId, BuildRequest request, String planJson, String platform, int attempt,
            long logAfter) {
        this(buildId, request, planJson, platform, attempt, logAfter, java.util.Optional.empty());
    }

    /** Nothing resolved yet. */
    public WorkerSpec(BuildId buildId, BuildRequest request, String planJson, String platform, int attempt,
            long logAfter, java.util.Optional<BuildId> orchestrator) {
        this(buildId, request, planJson, platform, attempt, logAfter, orchestrator, java.util.Optional.empty());
    }

    public WorkerSpec {
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(resolved, "resolved");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(planJson, "planJson");
        Objects.requireNonNull(platform, "platform");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
        }
        if (logAfter < 0) {
            throw new IllegalArgumentException("logAfter must not be negative, was " + logAfter);
        }
    }

    /** This spec with its log continuing after {@code after} and what was resolved about its inputs. */
    public WorkerSpec continuing(long after, java.util.Optional<ResolvedInputs> inputs) {
        return new WorkerSpec(buildId, request, planJson, platform, attempt, after, orchestrator, inputs);
    }

    @Override
    public String toString() {
        // The request's own toString masks credentials; the plan is left out (long, and not secret).
        return "WorkerSpec[" + buildId + ", " + request + ", platform=" + platform + ", attempt=" + attempt + "]";
    }
}
