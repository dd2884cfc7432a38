package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.strata.core.config.Configuration;
import io.strata.core.engine.WorkerResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a worker pod's status says about its build, for both engines: a Pending pod that cannot
 * pull the builder image, cannot start, or has waited too long; a pod that ended without a result
 * (killed for memory, an exit code, no result at all).
 */
final class PodVerdicts {
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    private PodVerdicts() {}

    static Optional<WorkerResult> pending(Pod pod, ClusterAccess cluster, Instant since, Duration timeout, Configuration config,
            String platform, Clock clock) {
        String where = "the worker pod " + cluster.namespace() + "/" + pod.getMetadata().getName() + " on cluster " + cluster.name();
        Optional<ContainerStateWaiting> waiting = containerStatus(pod).map(ContainerStatus::getState)
                .map(s -> s.getWaiting());
        if (waiting.isPresent() && PULL_FAILURES.contains(waiting.get().getReason())) {
            return Optional.of(KubeFailures.failed("BUILDER_IMAGE_PULL_FAILED", where + " cannot pull the builder image "
                    + pod.getSpec().getContainers().getFirst().getImage() + " (" + waiting.get().getReason() + ": "
                    + Optional.ofNullable(waiting.get().getMessage()).orElse("") + ")",
                    "set build_image in osbs.conf to an image the cluster can pull (Strata's own image, see deploy/Containerfile),"
                            + " and give the namespace a pull secret if the registry needs one"));
        }
        if (waiting.isPresent() && "CreateContainerConfigError".equals(waiting.get().getReason())) {
            return Optional.of(KubeFailures.failed("WORKER_POD_CONFIG_ERROR", where + " cannot start: "
                    + waiting.get().getMessage(), "create the ConfigMap or Secret it names (reactor_config_map, registry_secret)"));
        }
        if (Duration.between(since, clock.instant()).compareTo(timeout) > 0) {
            String why = Optional.ofNullable(pod.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
                    .filter(c -> "False".equals(c.getStatus())).map(PodCondition::getMessage).filter(m -> m != null).findFirst()
                    .or(() -> waiting.map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage())))
                    .orElse("no reason given");
            return Optional.of(KubeFailures.failed("WORKER_POD_PENDING_TIMEOUT", where + " stayed Pending for more than "
                    + timeout.toSeconds() + " s: " + why, "make sure the cluster has a node for kubernetes.io/arch="
                    + Architectures.of(platform, config) + " with room for the pod's resources, or raise"
                    + " strata_worker_pending_timeout"));
        }
        return Optional.empty();
    }

    static WorkerResult withoutResult(Pod pod, String phase, ClusterAccess cluster, List<String> lastLines, Configuration config) {
        String where = "the worker pod " + cluster.namespace() + "/" + pod.getMetadata().getName();
        Optional<ContainerStateTerminated> terminated = containerStatus(pod).map(s -> s.getState().getTerminated());
        String tail = lastLines.isEmpty() ? "" : "; its last log lines: " + String.join(" | ", lastLines);
        if (terminated.isPresent() && "OOMKilled".equals(terminated.get().getReason())) {
            return KubeFailures.failed("WORKER_OOM_KILLED", where + " was killed for exceeding its memory limit ("
                    + config.memoryLimit().orElse("no memory_limit set") + ")" + tail,
                    "raise memory_limit in osbs.conf (the pod's limit), or make the build use less memory");
        }
        if ("Succeeded".equals(phase)) {
            return KubeFailures.failed("WORKER_RESULT_MISSING", where + " ended without writing its result" + tail,
                    "the builder image must run `strata worker` of the same Strata version as the service");
        }
        int exit = terminated.map(ContainerStateTerminated::getExitCode).orElse(-1);
        return KubeFailures.failed("WORKER_POD_FAILED", where + " ended Failed with exit code " + exit
                + terminated.map(t -> " (" + t.getReason() + ")").orElse("") + " without writing its result" + tail,
                "see the build's log; exit code 137 is a kill (memory or a deadline), 126/127 a builder image without strata");
    }

    static Optional<ContainerStatus> containerStatus(Pod pod) {
        return Optional.ofNullable(pod.getStatus()).map(s -> s.getContainerStatuses()).filter(l -> !l.isEmpty()).map(List::getFirst);
    }

}
