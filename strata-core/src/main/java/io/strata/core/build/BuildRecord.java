package io.strata.core.build;

import io.strata.core.request.BuildRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the store keeps about one build: a snapshot of the request, of the resolved
 * configuration (secrets removed) and of the plan, the state history, per-step timings, the
 * outputs, the failure and the Koji metadata document.
 *
 * @param planJson       the plan as JSON, exactly as it ran
 * @param commitId       the git commit the source was checked out at, once known
 * @param kojiMetadata   the Koji content-generator metadata document (JSON), once exported
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
        Optional<String> kojiMetadata) {

    public BuildRecord {
        configSnapshot = Map.copyOf(configSnapshot);
        transitions = List.copyOf(transitions);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
    }
}
