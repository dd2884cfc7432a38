package io.strata.kube.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.client.OpenShiftClient;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.RecordedLog;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.kube.worker.WorkerPodContract;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code openshift} engine: the BuildConfig {@code strata render build-config} renders (custom
 * strategy, USER_PARAMS, secrets), created or updated, then instantiated once per worker build
 * with Strata's per-build environment, followed, its log streamed, its result read; cancelled
 * through {@code status.cancelled} ({@link BuildFollower}). Re-attach finds a build's Build by
 * its {@code strata.io/build-id} label.
 */
public final class OpenShiftEngine implements Engine {
    public static final String NAME = "openshift";

    private final KubernetesEngine settings;

    OpenShiftEngine(Configuration config, ClusterPool clusters, WorkerPods pods, Clock clock, PrintStream diagnostics) {
        this.settings = new KubernetesEngine(config, clusters, pods, clock, diagnostics);
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    private final Clock clock;
    private final PrintStream diagnostics;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) {
        return new BuildFollower(settings, spec, events, Optional.empty(), clock, diagnostics).start();
    }

    /** The build's latest Build, found by its {@code strata.io/build-id} label on any reachable cluster, followed on. */
    @Override
    public Optional<EngineRun> reattach(WorkerSpec spec, RecordedLog recorded, BuildListener events) throws StrataException {
        for (ClusterPool.Member member : settings.clusters().all()) {
            List<Build> found;
            try {
                found = member.access().client().adapt(OpenShiftClient.class).builds().inNamespace(member.access().namespace())
                        .withLabel(WorkerPodContract.BUILD_ID_LABEL, spec.buildId().value()).list().getItems();
            } catch (KubernetesClientException e) {
                diagnostics.println("strata: cluster " + member.access().name() + " cannot be asked for build " + spec.buildId()
                        + "'s Build: " + e.getMessage());
                continue;
            }
            Optional<Build> latest = found.stream().max(Comparator.comparing(b -> b.getMetadata().getCreationTimestamp()));
            if (latest.isPresent()) {
                Build build = latest.get();
                long recordedLines = recorded.workerLinesAfter(BuildFollower.orderOf(build).logAfter());
                diagnostics.println("strata: build " + spec.buildId() + " re-attached to its Build " + member.access().namespace() + "/"
                        + build.getMetadata().getName() + " (uid " + build.getMetadata().getUid() + ") on cluster "
                        + member.access().name() + "; " + recordedLines + " line(s) of its log were recorded before");
                return Optional.of(new BuildFollower(settings, spec, events, Optional.of(new Attachment(member,
                        build.getMetadata().getName(), recordedLines)), clock, diagnostics).start());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        settings.close();
    }
}
