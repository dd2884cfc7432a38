package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.api.model.BuildConfig;
import io.fabric8.openshift.api.model.BuildConfigSpec;
import io.fabric8.openshift.api.model.BuildRequest;
import io.fabric8.openshift.api.model.BuildStrategy;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * What OpenShift's build controller and API add to the mock, for the {@link TestKubelet}:
 * {@code buildconfigs/NAME/instantiate} (a Build named {@code NAME-N} from the BuildConfig's spec,
 * N its {@code status.lastVersion} plus one, the request's env added to the strategy's),
 * {@code builds/NAME/log} (its pod's log), a pod per new Build from the {@link BuildHandler}, the
 * Build's phase following its pod's, and cancellation through {@code status.cancelled}.
 */
final class OpenShiftBuilds implements AutoCloseable {
    static final String BUILD_LABEL = "openshift.io/build.name";
    private static final String API = "/apis/build.openshift.io/v1/namespaces/";
    private static final Set<String> TERMINAL = Set.of("Complete", "Failed", "Error", "Cancelled");

    private final MockKubeFixture fixture;
    private final OpenShiftClient client;
    private final String namespace;
    private final BuildHandler handler;
    private final TestKubelet kubelet;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<Route> routes = new ArrayList<>();
    private volatile Watch watch;
    private volatile boolean closed;

    OpenShiftBuilds(MockKubeFixture fixture, OpenShiftClient client, String namespace, BuildHandler handler, TestKubelet kubelet) {
        this.fixture = fixture;
        this.client = client;
        this.namespace = namespace;
        this.handler = handler;
        this.kubelet = kubelet;
    }

    void start() {
        routes.add(fixture.add(Route.always("POST", API + "([^/]+)/buildconfigs/([^/]+)/instantiate", this::instantiate)));
        routes.add(fixture.add(Route.always("GET", API + "([^/]+)/builds/([^/]+)/log",
                (request, path) -> kubelet.logResponse(path.group(1), path.group(2) + "-build", request))));
        watch();
    }

    private void watch() {
        watch = client.builds().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Build build) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    Thread.ofVirtual().name("test-kubelet-build-" + build.getMetadata().getName()).start(() -> seen(build));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                if (!closed) {
                    watch(); // the mock replays every Build as ADDED; seen() takes each once
                }
            }
        });
    }

    private void seen(Build build) {
        String phase = build.getStatus() == null ? null : build.getStatus().getPhase();
        boolean cancelled = build.getStatus() != null && Boolean.TRUE.equals(build.getStatus().getCancelled());
        if (cancelled && (phase == null || !TERMINAL.contains(phase))) {
            client.pods().inNamespace(namespace).withName(podName(build)).delete();
            setPhase(build.getMetadata().getName(), "Cancelled", null, "the build was cancelled");
            return;
        }
        if ((phase != null && !phase.equals("New")) || !seen.add(build.getMetadata().getUid())) {
            return;
        }
        Optional<Pod> pod = handler.podFor(build);
        if (pod.isEmpty()) {
            setPhase(build.getMetadata().getName(), "Error", "UnknownBuildStrategy", "no handler of the test kubelet takes this build's strategy");
            return;
        }
        Pod named = new PodBuilder(pod.get()).editOrNewMetadata().withName(podName(build)).withNamespace(namespace)
                .addToLabels(BUILD_LABEL, build.getMetadata().getName())
                .addToAnnotations(BUILD_LABEL, build.getMetadata().getName())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("build.openshift.io/v1").withKind("Build")
                        .withName(build.getMetadata().getName()).withUid(build.getMetadata().getUid()).withController(true).build())
                .endMetadata().build();
        // Pending before the pod exists: the pod's own moves (Running, ...) come after it.
        edit(build.getMetadata().getName(), current -> {
            current.getMetadata().getAnnotations().put("openshift.io/build.pod-name", podName(build));
            current.getStatus().setPhase("Pending");
        });
        client.pods().inNamespace(namespace).resource(named).create();
    }

    /** The kubelet wrote a status to a pod; a Build's pod moves its Build. */
    void podStatus(Pod pod, PodStatus status) {
        String build = Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(BUILD_LABEL)).orElse(null);
        if (build == null) {
            return;
        }
        String message = status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty() ? null
                : Optional.ofNullable(status.getContainerStatuses().getFirst().getState().getWaiting())
                        .map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage())).orElse(null);
        switch (status.getPhase()) {
            case "Running" -> setPhase(build, "Running", null, null);
            case "Succeeded" -> setPhase(build, "Complete", null, null);
            case "Failed" -> setPhase(build, "Failed", "GenericBuildFailed", "Generic Build failure - check logs for details.");
            default -> setPhase(build, "Pending", null, message);
        }
    }

    private void setPhase(String build, String phase, String reason, String message) {
        edit(build, current -> {
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            if (rank(current.getStatus().getPhase()) > rank(phase)
                    || current.getStatus().getPhase() != null && TERMINAL.contains(current.getStatus().getPhase())) {
                return; // phases only move forward: a cancelled Build stays Cancelled when its pod then ends Failed
            }
            current.getStatus().setPhase(phase);
            current.getStatus().setReason(reason);
            current.getStatus().setMessage(message);
            if (phase.equals("Running")) {
                current.getStatus().setStartTimestamp(now);
            }
            if (TERMINAL.contains(phase)) {
                current.getStatus().setCompletionTimestamp(now);
            }
        });
    }

    private synchronized void edit(String build, java.util.function.Consumer<Build> change) {
        Conflicts.retrying(() -> client.builds().inNamespace(namespace).withName(build).edit(current -> {
            if (current.getMetadata().getAnnotations() == null) {
                current.getMetadata().setAnnotations(new HashMap<>());
            }
            if (current.getStatus() == null) {
                current.setStatus(new io.fabric8.openshift.api.model.BuildStatus());
            }
            change.accept(current);
            return current;
        }));
    }

    private static int rank(String phase) {
        if (phase == null) {
            return 0;
        }
        return switch (phase) {
            case "New" -> 0;
            case "Pending" -> 1;
            case "Running" -> 2;
            default -> 3;
        };
    }

    private static String podName(Build build) {
        return build.getMetadata().getName() + "-build";
    }

    private MockResponse instantiate(RecordedRequest request, Matcher path) {
        String ns = path.group(1);
        String name = path.group(2);
        String configPath = API + ns + "/buildconfigs/" + name;
        MockResponse found = fixture.crud().handleGet(configPath);
        if (found.code() != 200) {
            return MockKubeFixture.status(404, "NotFound", "buildconfigs.build.openshift.io \"" + name + "\" not found");
        }
        BuildConfig config = Serialization.unmarshal(found.getBody().readUtf8(), BuildConfig.class);
        String body = request.getUtf8Body(); // read once: reading drains the buffer
        BuildRequest wanted = body.isBlank() ? new BuildRequest() : Serialization.unmarshal(body, BuildRequest.class);
        long number = Optional.ofNullable(config.getStatus()).map(s -> s.getLastVersion()).orElse(0L) + 1;
        if (config.getStatus() == null) {
            config.setStatus(new io.fabric8.openshift.api.model.BuildConfigStatus());
        }
        config.getStatus().setLastVersion(number);
        fixture.crud().handleUpdate(recorded(HttpMethod.PUT, configPath, Serialization.asJson(config)));
        Build build = buildOf(config, number, Optional.ofNullable(wanted.getEnv()).orElse(List.of()));
        MockResponse created = fixture.crud().handleCreate(recorded(HttpMethod.POST, API + ns + "/builds", Serialization.asJson(build)));
        return created;
    }

    private static Build buildOf(BuildConfig config, long number, List<EnvVar> env) {
        BuildConfigSpec spec = config.getSpec();
        BuildStrategy strategy = Serialization.clone(spec.getStrategy());
        if (strategy.getCustomStrategy() != null) {
            strategy.getCustomStrategy().getEnv().addAll(env);
        }
        if (strategy.getDockerStrategy() != null) {
            strategy.getDockerStrategy().getEnv().addAll(env);
        }
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(config.getMetadata().getLabels()).orElse(Map.of()));
        labels.put("buildconfig", config.getMetadata().getName());
        labels.put("openshift.io/build-config.name", config.getMetadata().getName());
        return new BuildBuilder().withNewMetadata().withName(config.getMetadata().getName() + "-" + number)
                .withNamespace(config.getMetadata().getNamespace()).withLabels(labels)
                .addToAnnotations("openshift.io/build-config.name", config.getMetadata().getName())
                .addToAnnotations("openshift.io/build.number", Long.toString(number))
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("build.openshift.io/v1").withKind("BuildConfig")
                        .withName(config.getMetadata().getName()).withUid(config.getMetadata().getUid()).build())
                .endMetadata()
                .withNewSpec().withServiceAccount(spec.getServiceAccount()).withSource(spec.getSource()).withStrategy(strategy)
                .withOutput(spec.getOutput()).withResources(spec.getResources()).withNodeSelector(spec.getNodeSelector())
                .withCompletionDeadlineSeconds(spec.getCompletionDeadlineSeconds()).endSpec()
                .withNewStatus().withPhase("New").withNewConfig().withKind("BuildConfig").withName(config.getMetadata().getName())
                .withNamespace(config.getMetadata().getNamespace()).endConfig().endStatus().build();
    }

    private static RecordedRequest recorded(HttpMethod method, String path, String json) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        closed = true;
        routes.forEach(fixture::remove);
        if (watch != null) {
            watch.close();
        }
    }
}
