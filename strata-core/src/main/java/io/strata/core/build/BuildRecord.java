package io.strata.core.build;

import io.strata.core.request.BuildRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the store keeps about one build: a snapshot of the request, of the resolved
 * configuration (secrets removed) and of the plan, the state history, per-step timings, the
 * outputs, the failure and the Koji metadata document.
 *
 * @param planJson       the plan as JSON, exactly as it ran
 * @param commitId       the git commit the source was checked out at, once known
 * @param kojiMetadata   the Koji content-generator metadata document (JSON), once exported
 * @param parent         for a worker build of a multi-platform build: its orchestrator build
 * @param workers        for an orchestrator build: its worker builds, one per platform (the newest
 *                       attempt's), in the order the platforms were asked for; empty otherwise
 * @param contentKey     the content key over every input of the build (docs/builds.md, "Build avoidance"),
 *                       once known; a completed build with a key can be reused by later builds with the same one
 * @param reusedFrom     the earlier build whose image this build re-tagged instead of building
 * @param configOnlyFrom the earlier build over whose layers this build wrote a new config and manifest
 * @param autorebuildCause for a build the autorebuild policy submitted: the parent digest change that caused it
 */
public record BuildRecord(
        BuildId id,
        BuildRequest request,
        Map<String, String> configSnapshot,
        String planJson,
        BuildState state,
        Instant createdAt,
        List<StateTransition> transitions,
        List<StepTiming> steps,
        Optional<String> commitId,
        List<ImageOutput> outputs,
        Optional<Failure> failure,
        Optional<String> kojiMetadata,
        Optional<BuildId> parent,
        List<WorkerBuild> workers,
        Optional<String> contentKey,
        Optional<BuildId> reusedFrom,
        Optional<BuildId> configOnlyFrom,
        Optional<String> autorebuildCause) {

    public BuildRecord {
        contentKey = Objects.requireNonNullElse(contentKey, Optional.empty());
        reusedFrom = Objects.requireNonNullElse(reusedFrom, Optional.empty());
        configOnlyFrom = Objects.requireNonNullElse(configOnlyFrom, Optional.empty());
        autorebuildCause = Objects.requireNonNullElse(autorebuildCause, Optional.empty());
        configSnapshot = Map.copyOf(configSnapshot);
        transitions = List.copyOf(transitions);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        parent = parent == null ? Optional.empty() : parent;
        workers = workers == null ? List.of() : List.copyOf(workers);
    }

    /** Whether this build joined worker builds of several platforms into one image index. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOrchestrator() {
        return !workers.isEmpty();
    }

    /** A build of one platform, with neither parent nor workers, built (not reused), with no content key yet. */
    public BuildRecord(BuildId id, BuildRequest request, Map<String, String> configSnapshot, String planJson,
            BuildState state, Instant createdAt, List<StateTransition> transitions, List<StepTiming> steps,
            Optional<String> commitId, List<ImageOutput> outputs, Optional<Failure> failure, Optional<String> kojiMetadata) {
        this(id, request, configSnapshot, planJson, state, createdAt, transitions, steps, commitId, outputs, failure,
                kojiMetadata, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
