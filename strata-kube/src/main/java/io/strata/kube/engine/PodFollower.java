package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.kube.worker.WorkerPodContract;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One worker build as a Pod: placed on a cluster, its Secret and Pod created, followed (a watch
 * wakes it, a read of the pod decides) to its end, its log streamed into the record, its result
 * read, then the pod, its Secret and result ConfigMap deleted, whatever happened. Pending pods
 * fail on a missing builder image ({@code ErrImagePull}), a configuration error, or after
 * {@code strata_worker_pending_timeout}; a pod that ends without a result fails with a reason from
 * its exit status ({@code OOMKilled}, the exit code).
 */
final class PodFollower extends FollowedRun {
    static final long POLL_MILLIS = 1000;

    private final KubernetesEngine engine;
    private final WorkerSpec spec;
    private final BuildListener events;
    private final Optional<Attachment> attached;
    private final Clock clock;
    private final PrintStream diagnostics;
    private volatile int watchRestarts;
    /** Detached: the pod, its Secret and result stay for the service that re-attaches. */
    private boolean podLeft;

    PodFollower(KubernetesEngine engine, WorkerSpec spec, BuildListener events, Optional<Attachment> attached, Clock clock,
            PrintStream diagnostics) {
        super(spec.buildId());
        this.engine = engine;
        this.spec = spec;
        this.events = events;
        this.attached = attached;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    int watchRestarts() {
        return watchRestarts;
    }

    @Override
    WorkerResult follow() {
        ClusterPool.Member member;
        if (attached.isPresent()) {
            member = attached.get().member();
        } else {
            Optional<ClusterPool.Member> placed;
            try {
                placed = place();
            } catch (StrataException e) {
                return KubeFailures.failed(e.reason(), e.getMessage(), e.hint());
            }
            if (placed.isEmpty()) {
                return WorkerResult.cancelled();
            }
            member = placed.get();
        }
        ClusterAccess cluster = member.access();
        String podName = attached.map(Attachment::name).orElse(WorkerPodContract.podName(spec.buildId(), spec.attempt()));
        try {
            if (attached.isEmpty()) {
                ApiRetries.onNoAnswer(() -> create(cluster));
            }
            WorkerResult result = followPod(cluster, podName);
            // Only a result the detaching made leaves the worker: one that ended meanwhile is collected as ever.
            if (detached() && !cancelled() && result.state() == io.strata.core.build.BuildState.CANCELLED) {
                podLeft = true;
            }
            return result;
        } catch (KubernetesClientException e) {
            return KubeFailures.of(e, cluster, "run the worker pod " + podName);
        } catch (StrataException e) {
            return KubeFailures.failed(e.reason(), e.getMessage(), e.hint());
        } finally {
            if (!podLeft) {
                cleanUp(cluster, podName);
            }
        }
    }

    private Optional<ClusterPool.Member> place() throws StrataException {
        return engine.clusters().placeWaiting(spec.platform(), this::stopped, () -> pause(PodFollower.POLL_MILLIS * 2));
    }

    /** Run whole again when a call gets no answer ({@link ApiRetries#onNoAnswer}): each write in it converges. */
    private void create(ClusterAccess cluster) throws StrataException {
        var rendered = engine.pods().render(spec);
        Secret secret = engine.pods().buildSecret(spec, cluster.namespace());
        Pod pod = engine.pods().pod(spec, cluster.namespace(), rendered.userParams().toJson());
        var secrets = cluster.client().secrets().inNamespace(cluster.namespace());
        ApiRetries.onConflict(() -> {
            secrets.withName(secret.getMetadata().getName()).delete(); // left by an earlier attempt
            return secrets.resource(secret).create();
        });
        var pods = cluster.client().pods().inNamespace(cluster.namespace());
        // An earlier attempt's pod (the service restarted and the queue runs the build again) is superseded:
        // one build never has two workers pushing at once.
        pods.withLabel(WorkerPodContract.BUILD_ID_LABEL, spec.buildId().value()).list().getItems().stream()
                .filter(p -> !p.getMetadata().getName().equals(pod.getMetadata().getName()))
                .forEach(p -> pods.withName(p.getMetadata().getName()).delete());
        try {
            ApiRetries.onConflict(() -> pods.resource(pod).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 || pods.withName(pod.getMetadata().getName()).get() == null) {
                throw e;
            }
            // AlreadyExists: this attempt's pod from before a restart; follow it.
        }
    }

    private WorkerResult followPod(ClusterAccess cluster, String podName) {
        var resource = cluster.client().pods().inNamespace(cluster.namespace()).withName(podName);
        LogPump pump = new LogPump(spec.buildId(), spec.logAfter(), attached.map(Attachment::recordedLines).orElse(0L), events, clock);
        Instant since = clock.instant();
        Duration pendingTimeout = engine.pendingTimeout();
        try (WakingWatch<Pod> watch = new WakingWatch<>(resource::watch, this::wake);
                FollowedLog log = new FollowedLog(cluster.client(), "api/v1/namespaces/" + cluster.namespace() + "/pods/" + podName
                        + "/log", pump, podName)) {
            while (true) {
                if (cancelled()) {
                    resource.delete();
                    return WorkerResult.cancelled();
                }
                if (detached()) {
                    return WorkerResult.cancelled(); // the pod runs on, for the next service to re-attach to
                }
                Pod pod = resource.get();
                watchRestarts = watch.reopened();
                if (pod == null) {
                    return cancelled() ? WorkerResult.cancelled() : KubeFailures.failed("WORKER_POD_DELETED", "the worker pod "
                            + cluster.namespace() + "/" + podName + " was deleted by someone else before it ended",
                            "the build is tried again; if it keeps happening, look for what deletes pods in " + cluster.namespace());
                }
                String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
                switch (phase) {
                    case "Pending" -> {
                        Optional<WorkerResult> stuck = PodVerdicts.pending(pod, cluster, since, pendingTimeout, engine.config(), spec.platform(), clock);
                        if (stuck.isPresent()) {
                            return stuck.get();
                        }
                    }
                    case "Running" -> log.running();
                    case "Succeeded", "Failed" -> {
                        String text = log.ended(resource::getLog);
                        return ResultReader.read(cluster, spec.buildId(), events, clock)
                                .orElseGet(() -> PodVerdicts.withoutResult(pod, phase, cluster, pump.tail(text, 5), engine.config()));
                    }
                    default -> { }
                }
                pause(POLL_MILLIS);
            }
        }
    }

    private void cleanUp(ClusterAccess cluster, String podName) {
        String ns = cluster.namespace();
        try {
            cluster.client().pods().inNamespace(ns).withName(podName).delete();
            cluster.client().configMaps().inNamespace(ns).withName(WorkerPodContract.resultName(spec.buildId())).delete();
            cluster.client().secrets().inNamespace(ns).withName(WorkerPodContract.buildSecretName(spec.buildId())).delete();
        } catch (KubernetesClientException e) {
            diagnostics.println("strata: warning: could not remove the worker pod " + ns + "/" + podName + " of build "
                    + spec.buildId() + " and its Secret and result from cluster " + cluster.name() + ": " + e.getMessage()
                    + "; delete them with kubectl delete pod,secret,configmap -l " + WorkerPodContract.BUILD_ID_LABEL + "=" + spec.buildId());
        }
    }
}
