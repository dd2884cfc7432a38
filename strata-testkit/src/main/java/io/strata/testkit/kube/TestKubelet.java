package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.strata.testkit.TempDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A kubelet for {@link MockKubeFixture}, which has none: it watches the pods of the fixture's
 * namespace and runs each new one's first container as a local process ({@link KubeletImage}
 * says how, per image), with the pod's environment and its ConfigMap, Secret and emptyDir volumes
 * materialised as files under a directory of the pod's own ({@link PodFiles} says how paths are
 * mapped), plus environment of the test's ({@link Builder#env}, e.g. {@code KUBECONFIG} of the
 * mock and {@code PATH}). It writes the pod's phase and container status back (Pending with
 * {@code ContainerCreating}, {@code ErrImagePull}, {@code CreateContainerConfigError} or
 * {@code Unschedulable}; Running; Succeeded or Failed with exit code and reason {@code Completed},
 * {@code Error}, {@code OOMKilled} or {@code StartError}) and stops the process when the pod is
 * deleted (SIGTERM, SIGKILL after the grace period).
 *
 * <p>Logs: the mock has no {@code pods/log}; the kubelet serves it as a {@link Route}
 * ({@code GET .../pods/NAME/log}, any query; {@code tailLines} honoured) with the container's
 * combined stdout and stderr, 400 while the container has not started, as the real API answers.
 * {@code follow=true} is answered with the log so far, after which the stream ends: the mock sends
 * whole bodies only, so a following client sees what it sees after a dropped connection and has to
 * open the stream again (and resume); {@link #follows} counts those requests per pod.
 *
 * <p>OpenShift: with a {@link BuildHandler} ({@link Builder#builds}) it also turns new Builds into
 * pods and serves {@code buildconfigs/instantiate} and {@code builds/log} ({@link OpenShiftBuilds}).
 *
 * <p>The watch is the mock's: every pod is replayed as ADDED whenever it opens, so the kubelet takes
 * each pod (by uid) once and re-opens a closed watch itself.
 */
public final class TestKubelet implements AutoCloseable {
    /** The node every pod is "scheduled" on ({@code spec.nodeName} for a fieldRef). */
    public static final String NODE_NAME = "test-node";

    record Settings(KubernetesClient client, String namespace, Map<String, KubeletImage> images, Map<String, String> extraEnv,
            Set<String> architectures, Path workRoot, boolean echoLogs, BiConsumer<Pod, PodStatus> onStatus) {}

    private final MockKubeFixture fixture;
    private final Settings settings;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private final Map<String, PodRun> byName = new ConcurrentHashMap<>();
    private final Map<String, Integer> follows = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Optional<OpenShiftBuilds> builds = Optional.empty();
    private volatile Watch watch;
    private volatile boolean closed;

    private TestKubelet(MockKubeFixture fixture, Settings settings) {
        this.fixture = fixture;
        this.settings = settings;
    }

    public static Builder on(MockKubeFixture fixture) {
        return new Builder(fixture);
    }

    /** What the kubelet runs and with what; {@link #start} starts it. */
    public static final class Builder {
        private final MockKubeFixture fixture;
        private final Map<String, KubeletImage> images = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Set<String> architectures = Set.of("amd64");
        private Optional<BuildHandler> buildHandler = Optional.empty();
        private boolean echoLogs;

        private Builder(MockKubeFixture fixture) {
            this.fixture = fixture;
        }

        /** What containers of {@code image} (the pod's exact image string) do. */
        public Builder image(String image, KubeletImage behaviour) {
            images.put(image, behaviour);
            return this;
        }

        /** Containers of {@code image} run their command's first word from {@code executables}. */
        public Builder image(String image, Map<String, Path> executables) {
            return image(image, KubeletImage.commands(executables));
        }

        /** An environment variable every pod's process gets (under the pod's own). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** The {@code kubernetes.io/arch} values of the kubelet's node (default amd64); other pods stay Pending. */
        public Builder architectures(String... values) {
            architectures = Set.of(values);
            return this;
        }

        /** Runs OpenShift Builds too, turning each into a pod with {@code handler}. */
        public Builder builds(BuildHandler handler) {
            buildHandler = Optional.of(handler);
            return this;
        }

        /** Copies every line a pod prints to this JVM's stdout, prefixed with the pod's name (for debugging a test). */
        public Builder echoLogs(boolean echo) {
            echoLogs = echo;
            return this;
        }

        public TestKubelet start() {
            KubernetesClient client = fixture.newClient();
            Path workRoot = TempDirs.create("kubelet");
            TestKubelet[] self = new TestKubelet[1];
            Settings settings = new Settings(client, fixture.namespace(), Map.copyOf(images), Map.copyOf(env), architectures,
                    workRoot, echoLogs, (pod, status) -> self[0].statusWritten(pod, status));
            TestKubelet kubelet = new TestKubelet(fixture, settings);
            self[0] = kubelet;
            kubelet.startWatching(buildHandler);
            return kubelet;
        }
    }

    private void startWatching(Optional<BuildHandler> handler) {
        routes.add(fixture.add(Route.always("GET", "/api/v1/namespaces/([^/]+)/pods/([^/]+)/log",
                (request, path) -> logResponse(path.group(1), path.group(2), request))));
        watch();
        handler.ifPresent(h -> {
            OpenShiftBuilds openShift = new OpenShiftBuilds(fixture, settings.client().adapt(io.fabric8.openshift.client.OpenShiftClient.class),
                    settings.namespace(), h, this);
            builds = Optional.of(openShift);
            openShift.start();
        });
    }

    private void watch() {
        watch = settings.client().pods().inNamespace(settings.namespace()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                switch (action) {
                    case ADDED, MODIFIED -> admit(pod);
                    case DELETED -> Optional.ofNullable(runs.get(pod.getMetadata().getUid()))
                            .ifPresent(run -> track(Thread.ofVirtual().name("test-kubelet-stop-" + run.name()).start(run::stop)));
                    default -> { }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                if (!closed) {
                    watch();
                }
            }
        });
    }

    private void admit(Pod pod) {
        if (closed || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return;
        }
        PodRun run = new PodRun(settings, pod);
        if (runs.putIfAbsent(pod.getMetadata().getUid(), run) != null) {
            return;
        }
        byName.put(pod.getMetadata().getNamespace() + "/" + run.name(), run);
        started.add(run.name());
        track(Thread.ofVirtual().name("test-kubelet-pod-" + run.name()).start(run::run));
    }

    private void track(Thread thread) {
        threads.add(thread);
    }

    private void statusWritten(Pod pod, PodStatus status) {
        builds.ifPresent(b -> b.podStatus(pod, status));
    }

    /** The answer to {@code GET pods/NAME/log}. */
    MockResponse logResponse(String namespace, String pod, RecordedRequest request) {
        PodRun run = byName.get(namespace + "/" + pod);
        // Routes run inside the server: asking the server itself would wait for this very answer.
        if (run == null || fixture.crud().handleGet("/api/v1/namespaces/" + namespace + "/pods/" + pod).code() != 200) {
            return MockKubeFixture.status(404, "NotFound", "pods \"" + pod + "\" not found");
        }
        if (!run.containerStarted()) {
            return MockKubeFixture.status(400, "BadRequest", "container in pod \"" + pod + "\" is waiting to start");
        }
        if (Route.query(request, "follow").filter("true"::equals).isPresent()) {
            follows.merge(namespace + "/" + pod, 1, Integer::sum);
        }
        String log = run.log();
        Optional<String> tail = Route.query(request, "tailLines");
        if (tail.isPresent()) {
            List<String> lines = log.lines().toList();
            int keep = Integer.parseInt(tail.get());
            log = String.join("\n", lines.subList(Math.max(0, lines.size() - keep), lines.size())) + (lines.isEmpty() ? "" : "\n");
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(log);
    }

    /** The log of the pod {@code name} so far (empty if the kubelet never ran it). */
    public String log(String name) {
        return Optional.ofNullable(byName.get(settings.namespace() + "/" + name)).map(PodRun::log).orElse("");
    }

    /** How many times the log of pod {@code name} was asked for with {@code follow=true}. */
    public int follows(String name) {
        return follows.getOrDefault(settings.namespace() + "/" + name, 0);
    }

    /** Names of the pods the kubelet took, in order. */
    public List<String> started() {
        return List.copyOf(started);
    }

    /** Waits until every pod process has ended and every stop finished; for "nothing left running" checks. */
    public void awaitQuiet() throws InterruptedException {
        // A thread may start while others are joined (the watch's DELETED event arriving after the
        // pod's process ended starts a stop): join until none is alive, not over one snapshot.
        List<Thread> alive = threads.stream().filter(Thread::isAlive).toList();
        while (!alive.isEmpty()) {
            for (Thread thread : alive) {
                thread.join();
            }
            alive = threads.stream().filter(Thread::isAlive).toList();
        }
    }

    /** Whether a pod's process is still alive; false once all ended or were stopped. */
    public boolean anyRunning() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        closed = true;
        builds.ifPresent(OpenShiftBuilds::close);
        routes.forEach(fixture::remove);
        if (watch != null) {
            watch.close();
        }
        runs.values().forEach(run -> track(Thread.ofVirtual().start(run::stop))); // in parallel: each may wait its grace period
        try {
            awaitQuiet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settings.client().close();
        TempDirs.deleteRecursively(settings.workRoot());
    }
}
