package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.RecordedLog;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.kube.worker.WorkerOrder;
import io.strata.kube.worker.WorkerPodContract;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kubernetes} engine: one Pod per worker build running {@code strata worker} in the
 * builder image ({@link WorkerPods}), placed on the least-loaded reachable cluster of its platform
 * ({@link ClusterPool}) and followed to its end ({@link PodFollower}). After a service restart,
 * {@link #reattach} finds a build's pod again by its {@code strata.io/build-id} label.
 */
public final class KubernetesEngine implements Engine {
    public static final String NAME = "kubernetes";

    private final Configuration config;
    private final ClusterPool clusters;
    private final WorkerPods pods;
    private final Clock clock;
    private final PrintStream diagnostics;

    KubernetesEngine(Configuration config, ClusterPool clusters, WorkerPods pods, Clock clock, PrintStream diagnostics) {
        this.config = config;
        this.clusters = clusters;
        this.pods = pods;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    @Override
    public String name() {
        return NAME;
    }

    Configuration config() {
        return config;
    }

    ClusterPool clusters() {
        return clusters;
    }

    WorkerPods pods() {
        return pods;
    }

    Duration pendingTimeout() {
        return Duration.ofSeconds(Long.parseLong(config.raw(ConfigKey.STRATA_WORKER_PENDING_TIMEOUT.key())
                .or(ConfigKey.STRATA_WORKER_PENDING_TIMEOUT::defaultValue).orElse("600").strip()));
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) {
        return new PodFollower(this, spec, events, Optional.empty(), clock, diagnostics).start();
    }

    /**
     * The build's latest worker pod, found by its {@code strata.io/build-id} label on any reachable
     * cluster (still running, or ended and not yet collected), followed on: its log from the first
     * line the record lacks, its result, then its removal.
     */
    @Override
    public Optional<EngineRun> reattach(WorkerSpec spec, RecordedLog recorded, BuildListener events) throws StrataException {
        for (ClusterPool.Member member : clusters.all()) {
            List<Pod> found;
            try {
                found = member.access().client().pods().inNamespace(member.access().namespace())
                        .withLabel(WorkerPodContract.BUILD_ID_LABEL, spec.buildId().value()).list().getItems();
            } catch (KubernetesClientException e) {
                diagnostics.println("strata: cluster " + member.access().name() + " cannot be asked for build " + spec.buildId()
                        + "'s pod: " + e.getMessage());
                continue;
            }
            Optional<Pod> latest = found.stream().max(Comparator.comparing(p -> Integer.parseInt(
                    p.getMetadata().getLabels().getOrDefault("strata.io/attempt", "0"))));
            if (latest.isPresent()) {
                Pod pod = latest.get();
                long recordedLines = recorded.workerLinesAfter(orderOf(pod).logAfter());
                diagnostics.println("strata: build " + spec.buildId() + " re-attached to its worker pod " + member.access().namespace()
                        + "/" + pod.getMetadata().getName() + " (uid " + pod.getMetadata().getUid() + ") on cluster "
                        + member.access().name() + "; " + recordedLines + " line(s) of its log were recorded before");
                return Optional.of(new PodFollower(this, spec, events, Optional.of(new Attachment(member, pod.getMetadata().getName(),
                        recordedLines)), clock, diagnostics).start());
            }
        }
        return Optional.empty();
    }

    /** The order a pod was started with (its log position above all). */
    static WorkerOrder orderOf(Pod pod) throws StrataException {
        return WorkerOrder.fromJson(pod.getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(WorkerPodContract.STRATA_WORKER)).map(EnvVar::getValue).findFirst().orElse(""));
    }

    @Override
    public void close() {
        clusters.close();
    }
}
