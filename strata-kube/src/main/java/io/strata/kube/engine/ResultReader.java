package io.strata.kube.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.strata.core.build.BuildId;
import io.strata.core.engine.WorkerResult;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.kube.worker.ResultDocument;
import io.strata.kube.worker.WorkerPodContract;
import java.time.Clock;
import java.util.Optional;

/**
 * Reads a worker's result ConfigMap and replays what it reports as the build's events (steps with
 * their timings, the commit, the pushed images, the Koji metadata), so the record of a cluster
 * build holds what a local build's does.
 */
final class ResultReader {
    private ResultReader() {}

    /** Empty when the worker wrote no result (it died first). */
    static Optional<WorkerResult> read(ClusterAccess cluster, BuildId id, BuildListener events, Clock clock) {
        ConfigMap map = cluster.client().configMaps().inNamespace(cluster.namespace()).withName(WorkerPodContract.resultName(id)).get();
        if (map == null || map.getData() == null || !map.getData().containsKey(WorkerPodContract.RESULT_KEY)) {
            return Optional.empty();
        }
        ResultDocument document;
        try {
            document = ResultDocument.fromJson(map.getData().get(WorkerPodContract.RESULT_KEY));
        } catch (JsonProcessingException e) {
            return Optional.of(KubeFailures.failed("WORKER_RESULT_INVALID", "the result ConfigMap " + cluster.namespace() + "/"
                    + map.getMetadata().getName() + " is not a result document: " + e.getOriginalMessage(),
                    "the builder image runs another Strata version than the service; use the same version in build_image"));
        }
        replay(document, id, events, clock);
        return Optional.of(document.toResult());
    }

    static void replay(ResultDocument document, BuildId id, BuildListener events, Clock clock) {
        for (ResultDocument.StepRun step : document.steps()) {
            events.on(new BuildEvent.StepStarted(id, step.timing().startedAt(), step.timing().step(), step.index(), step.total()));
            events.on(new BuildEvent.StepFinished(id, step.timing().finishedAt(), step.timing(), step.detail()));
        }
        document.commit().ifPresent(commit -> events.on(new BuildEvent.SourceCheckedOut(id, clock.instant(), commit)));
        document.outputs().forEach(output -> events.on(new BuildEvent.ImagePushed(id, clock.instant(), output)));
        document.kojiMetadata().ifPresent(json -> events.on(new BuildEvent.MetadataExported(id, clock.instant(), json)));
    }
}
