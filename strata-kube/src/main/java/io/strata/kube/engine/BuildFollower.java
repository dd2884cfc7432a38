package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildConfig;
import io.fabric8.openshift.api.model.BuildRequestBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import io.strata.core.StrataException;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildListener;
import io.strata.core.render.RenderedBuildConfig;
import io.strata.core.render.WireFormat;
import io.strata.kube.worker.WorkerOrder;
import io.strata.kube.worker.WorkerPodContract;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One worker build as an OpenShift Build: the rendered BuildConfig created or updated (409s
 * retried), the build's Secret created, a Build instantiated with STRATA_WORKER and the Secret's
 * values ({@code STRATA_WORKER_CREDENTIALS}, {@code STRATA_WORKER_REGISTRY_AUTH}, by
 * {@code secretKeyRef}: a custom-strategy Build mounts only the BuildConfig's secrets), then
 * followed like a pod; cancel sets {@code status.cancelled}. The Build stays as history (as with
 * osbs-client); its pod, the Secret and the result ConfigMap are deleted.
 */
final class BuildFollower extends FollowedRun {
    private static final Set<String> DONE = Set.of("Complete", "Failed", "Error", "Cancelled");
    static final String POD_ANNOTATION = "openshift.io/build.pod-name";

    private final KubernetesEngine engine;
    private final WorkerSpec spec;
    private final BuildListener events;
    private final Optional<Attachment> attached;
    private final Clock clock;
    private final PrintStream diagnostics;
    /** Detached: the Build, its Secret and result stay for the service that re-attaches. */
    private boolean buildLeft;

    BuildFollower(KubernetesEngine engine, WorkerSpec spec, BuildListener events, Optional<Attachment> attached, Clock clock,
            PrintStream diagnostics) {
        super(spec.buildId());
        this.engine = engine;
        this.spec = spec;
        this.events = events;
        this.attached = attached;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    @Override
    WorkerResult follow() {
        ClusterPool.Member member;
        try {
            member = attached.isPresent() ? attached.get().member() : place().orElse(null);
        } catch (StrataException e) {
            return KubeFailures.failed(e.reason(), e.getMessage(), e.hint());
        }
        if (member == null) {
            return WorkerResult.cancelled();
        }
        ClusterAccess cluster = member.access();
        OpenShiftClient client = cluster.client().adapt(OpenShiftClient.class);
        String buildName = attached.map(Attachment::name).orElse(null);
        try {
            if (buildName == null) {
                buildName = instantiate(cluster, client);
            }
            WorkerResult result = followBuild(cluster, client, buildName);
            // Only a result the detaching made leaves the worker: one that ended meanwhile is collected as ever.
            if (detached() && !cancelled() && result.state() == io.strata.core.build.BuildState.CANCELLED) {
                buildLeft = true;
            }
            return result;
        } catch (KubernetesClientException e) {
            return KubeFailures.of(e, cluster, buildName == null ? "instantiate the worker Build" : "follow the Build " + buildName);
        } catch (StrataException e) {
            return KubeFailures.failed(e.reason(), e.getMessage(), e.hint());
        } finally {
            if (!buildLeft) {
                cleanUp(cluster, client, buildName);
            }
        }
    }

    private Optional<ClusterPool.Member> place() throws StrataException {
        return engine.clusters().placeWaiting(spec.platform(), this::stopped, () -> pause(PodFollower.POLL_MILLIS * 2));
    }

    private String instantiate(ClusterAccess cluster, OpenShiftClient client) throws StrataException {
        RenderedBuildConfig rendered = engine.pods().render(spec);
        BuildConfig config = Serialization.unmarshal(WireFormat.JSON.write(rendered.buildConfig()), BuildConfig.class);
        config.getMetadata().setNamespace(cluster.namespace());
        config.getMetadata().getLabels().put(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY);
        var configs = client.buildConfigs().inNamespace(cluster.namespace());
        Secret secret = engine.pods().buildSecret(spec, cluster.namespace());
        var secrets = cluster.client().secrets().inNamespace(cluster.namespace());
        // Create-or-update and delete-then-create converge, so they run again after an unanswered call;
        // instantiating does not (a lost answer may hide a started Build), so it is not retried.
        ApiRetries.onNoAnswer(() -> {
            ApiRetries.onConflict(() -> {
                BuildConfig existing = configs.withName(config.getMetadata().getName()).get();
                if (existing == null) {
                    return configs.resource(config).create();
                }
                config.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                config.setStatus(existing.getStatus());
                return configs.resource(config).update();
            });
            secrets.withName(secret.getMetadata().getName()).delete();
            secrets.resource(secret).create();
        });
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(WorkerPodContract.STRATA_WORKER).withValue(engine.pods().order(spec)).build());
        env.add(secretValue(WorkerPodContract.CREDENTIALS_ENV, secret, WorkerPodContract.CREDENTIALS_FILE));
        if (secret.getData().containsKey(WorkerPodContract.REGISTRY_AUTH_FILE)) {
            env.add(secretValue(WorkerPodContract.REGISTRY_AUTH_ENV, secret, WorkerPodContract.REGISTRY_AUTH_FILE));
        }
        List<String> mounted = config.getSpec().getStrategy().getCustomStrategy().getSecrets().stream().map(s -> s.getMountPath()).toList();
        env.add(new EnvVarBuilder().withName(WorkerPodContract.SECRETS).withValue(String.join(",", mounted)).build());
        Build build = ApiRetries.onConflict(() -> configs.withName(config.getMetadata().getName()).instantiate(new BuildRequestBuilder()
                .withNewMetadata().withName(config.getMetadata().getName()).withLabels(WorkerPods.labels(spec)).endMetadata()
                .withEnv(env).build()));
        String name = build.getMetadata().getName();
        // The build-id label finds the Build again after a restart (instantiate copies the BuildConfig's labels only).
        ApiRetries.onNoAnswer(() -> ApiRetries.onConflict(() -> client.builds().inNamespace(cluster.namespace()).withName(name).edit(b -> {
            b.getMetadata().getLabels().putAll(WorkerPods.labels(spec));
            return b;
        })));
        return name;
    }

    private static EnvVar secretValue(String name, Secret secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef(key, secret.getMetadata().getName(), false)
                .endValueFrom().build();
    }

    private WorkerResult followBuild(ClusterAccess cluster, OpenShiftClient client, String buildName) {
        var resource = client.builds().inNamespace(cluster.namespace()).withName(buildName);
        LogPump pump = new LogPump(spec.buildId(), spec.logAfter(), attached.map(Attachment::recordedLines).orElse(0L), events, clock);
        Instant since = clock.instant();
        Duration pendingTimeout = engine.pendingTimeout();
        boolean cancelRequested = false;
        try (WakingWatch<Build> watch = new WakingWatch<>(resource::watch, this::wake);
                FollowedLog log = new FollowedLog(cluster.client(), "apis/build.openshift.io/v1/namespaces/" + cluster.namespace()
                        + "/builds/" + buildName + "/log", pump, buildName)) {
            while (true) {
                Build build = resource.get();
                if (build == null) {
                    return cancelled() ? WorkerResult.cancelled() : KubeFailures.failed("WORKER_POD_DELETED", "the Build "
                            + cluster.namespace() + "/" + buildName + " was deleted by someone else before it ended", "the build is tried again");
                }
                String phase = build.getStatus() == null || build.getStatus().getPhase() == null ? "New" : build.getStatus().getPhase();
                if (detached() && !cancelled() && !DONE.contains(phase)) {
                    return WorkerResult.cancelled(); // the Build runs on, for the next service to re-attach to
                }
                if (cancelled() && !cancelRequested && !DONE.contains(phase)) {
                    ApiRetries.onConflict(() -> resource.edit(b -> {
                        b.getStatus().setCancelled(true);
                        return b;
                    }));
                    cancelRequested = true;
                }
                Optional<Pod> pod = Optional.ofNullable(build.getMetadata().getAnnotations()).map(a -> a.get(POD_ANNOTATION))
                        .map(p -> cluster.client().pods().inNamespace(cluster.namespace()).withName(p).get());
                switch (phase) {
                    case "New", "Pending" -> {
                        if (pod.isPresent() && !cancelRequested) {
                            Optional<WorkerResult> stuck = PodVerdicts.pending(pod.get(), cluster, since, pendingTimeout, engine.config(),
                                    spec.platform(), clock);
                            if (stuck.isPresent()) {
                                cancelQuietly(resource);
                                return stuck.get();
                            }
                        }
                    }
                    case "Running" -> log.running();
                    case "Cancelled" -> {
                        return WorkerResult.cancelled();
                    }
                    case "Complete", "Failed", "Error" -> {
                        String text = log.ended(resource::getLog);
                        Optional<WorkerResult> result = ResultReader.read(cluster, spec.buildId(), events, clock);
                        if (result.isPresent()) {
                            return result.get();
                        }
                        return pod.map(p -> PodVerdicts.withoutResult(p, "Complete".equals(phase) ? "Succeeded" : "Failed", cluster,
                                pump.tail(text, 5), engine.config())).orElseGet(() -> KubeFailures.failed("WORKER_POD_FAILED",
                                "the Build " + cluster.namespace() + "/" + buildName + " ended " + phase + " without a result: "
                                        + build.getStatus().getReason() + " " + Optional.ofNullable(build.getStatus().getMessage()).orElse(""),
                                "see the build's log and `oc describe build " + buildName + "`"));
                    }
                    default -> { }
                }
                pause(PodFollower.POLL_MILLIS);
            }
        }
    }

    private void cancelQuietly(io.fabric8.openshift.client.dsl.BuildResource resource) {
        try {
            ApiRetries.onConflict(() -> resource.edit(b -> {
                b.getStatus().setCancelled(true);
                return b;
            }));
        } catch (KubernetesClientException e) {
            diagnostics.println("strata: warning: could not cancel the Build: " + e.getMessage());
        }
    }

    /** The order a Build was instantiated with (its log position above all). */
    static WorkerOrder orderOf(Build build) throws StrataException {
        var env = build.getSpec().getStrategy().getCustomStrategy().getEnv();
        return WorkerOrder.fromJson(env.stream().filter(e -> e.getName().equals(WorkerPodContract.STRATA_WORKER)).map(EnvVar::getValue)
                .findFirst().orElse(""));
    }

    private void cleanUp(ClusterAccess cluster, OpenShiftClient client, String buildName) {
        String ns = cluster.namespace();
        try {
            if (buildName != null) {
                Build build = client.builds().inNamespace(ns).withName(buildName).get();
                Optional.ofNullable(build).map(b -> b.getMetadata().getAnnotations()).map(a -> a.get(POD_ANNOTATION))
                        .ifPresent(pod -> cluster.client().pods().inNamespace(ns).withName(pod).delete());
            }
            cluster.client().configMaps().inNamespace(ns).withName(WorkerPodContract.resultName(spec.buildId())).delete();
            cluster.client().secrets().inNamespace(ns).withName(WorkerPodContract.buildSecretName(spec.buildId())).delete();
        } catch (KubernetesClientException e) {
            diagnostics.println("strata: warning: could not clean up after Build " + ns + "/" + buildName + " of build " + spec.buildId()
                    + ": " + e.getMessage());
        }
    }
}
