package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.strata.testkit.ChildEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One pod of the {@link TestKubelet}: scheduled (or left Pending when no node has its
 * {@code kubernetes.io/arch}), its image "pulled" (or {@code ErrImagePull}), its volumes and
 * environment made, its first container run as a local process; phase, container status and log
 * written back as a kubelet would. Only the first container runs; init containers are ignored.
 */
final class PodRun {
    private static final Duration MAX_GRACE = Duration.ofSeconds(30);
    /** How often a failed mount is tried again (a kubelet backs off from 0.5 s). */
    private static final Duration MOUNT_RETRY = Duration.ofMillis(250);

    private final TestKubelet.Settings settings;
    private final Pod pod;
    private final String name;
    private final StringBuilder log = new StringBuilder();
    private volatile boolean containerStarted;
    private volatile boolean stopped;
    private volatile Process process;

    PodRun(TestKubelet.Settings settings, Pod pod) {
        this.settings = settings;
        this.pod = pod;
        this.name = pod.getMetadata().getName();
    }

    String name() {
        return name;
    }

    /** The container's output so far; empty before it started. */
    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    boolean containerStarted() {
        return containerStarted;
    }

    /** The whole life of the pod; returns when its container ended or the pod was deleted. */
    void run() {
        Container container = pod.getSpec().getContainers().getFirst();
        String arch = Optional.ofNullable(pod.getSpec().getNodeSelector()).map(s -> s.get("kubernetes.io/arch")).orElse(null);
        if (arch != null && !settings.architectures().contains(arch)) {
            write(new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder().withType("PodScheduled")
                    .withStatus("False").withReason("Unschedulable").withMessage("0/1 nodes are available: 1 node(s) didn't match"
                            + " Pod's node affinity/selector (the test kubelet's node is " + settings.architectures() + ")")
                    .withLastTransitionTime(now()).build()).build());
            return;
        }
        KubeletImage image = settings.images().get(container.getImage());
        if (image == null) {
            write(waiting(container, "ErrImagePull", "rpc error: code = Unknown desc = failed to pull and unpack image \""
                    + container.getImage() + "\": not found (the test kubelet knows only " + settings.images().keySet() + ")"));
            return;
        }
        write(waiting(container, "ContainerCreating", null));
        Path root = settings.workRoot().resolve(name + "-" + pod.getMetadata().getUid());
        PodFiles files;
        Map<String, String> env;
        String mountFailure = null;
        try {
            Files.createDirectories(root.resolve("home"));
            while (true) {
                try {
                    files = PodFiles.materialise(pod, container, root, settings.client(), settings.namespace());
                    break;
                } catch (PodFiles.MissingSource e) {
                    // A kubelet tries a failed mount again until its source appears or the pod is deleted (a
                    // writer may replace a Secret a pod mounts: delete, then create). Giving up at once left
                    // such a pod Pending for good (CI49's ClusterEngineIT, the engine's create run again).
                    if (!e.getMessage().equals(mountFailure)) {
                        mountFailure = e.getMessage();
                        write(waiting(container, "ContainerCreating", "MountVolume.SetUp failed: " + mountFailure));
                    }
                    if (stopped || !pause(MOUNT_RETRY)) {
                        return;
                    }
                }
            }
            env = PodEnvironment.resolve(pod, container, settings.client(), settings.namespace());
        } catch (PodEnvironment.Unresolvable e) {
            write(waiting(container, "CreateContainerConfigError", e.getMessage()));
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        switch (image) {
            case KubeletImage.OomKilled oom -> {
                write(running(container));
                write(terminated(container, 137, "OOMKilled", null));
            }
            case KubeletImage.Local local -> runLocal(container, local, files, env);
        }
    }

    private void runLocal(Container container, KubeletImage.Local image, PodFiles files, Map<String, String> podEnv) {
        List<String> argv = new ArrayList<>(image.argv(Optional.ofNullable(container.getCommand()).orElse(List.of()),
                Optional.ofNullable(container.getArgs()).orElse(List.of())).stream().map(files::rewrite).toList());
        Optional<Path> executable = argv.isEmpty() ? Optional.empty() : image.executable(argv.getFirst());
        if (executable.isEmpty()) {
            write(terminated(container, 128, "StartError", "exec: " + (argv.isEmpty() ? "no command" : "\"" + argv.getFirst()
                    + "\": executable file not found in $PATH (the test kubelet maps " + image.executables().keySet() + ")")));
            return;
        }
        argv.set(0, executable.get().toString());
        ChildEnvironment environment = ChildEnvironment.of(files.root().resolve("home")).with("HOSTNAME", name);
        for (Map.Entry<String, String> extra : settings.extraEnv().entrySet()) {
            environment = environment.with(extra.getKey(), extra.getValue());
        }
        for (Map.Entry<String, String> variable : podEnv.entrySet()) {
            environment = environment.with(variable.getKey(), files.rewrite(variable.getValue()));
        }
        environment = environment.with("TEST_KUBELET_ROOT", files.root().toString()).with("TEST_KUBELET_MOUNTS", files.mountsJson());
        ProcessBuilder builder = environment.processBuilder(argv).redirectErrorStream(true)
                .directory(workingDirectory(container, files).toFile());
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                process = builder.start();
            } catch (IOException e) {
                write(terminated(container, 128, "StartError", "exec " + argv.getFirst() + ": " + e.getMessage()));
                return;
            }
        }
        containerStarted = true;
        write(running(container));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
                if (settings.echoLogs()) {
                    System.out.println("[pod " + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The process's output closes when the pod is stopped; the exit code below says the rest.
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return;
        }
        if (!stopped) {
            write(terminated(container, exit, exit == 0 ? "Completed" : "Error", null));
        }
    }

    private static Path workingDirectory(Container container, PodFiles files) {
        String dir = Optional.ofNullable(container.getWorkingDir()).orElse("");
        String mapped = files.rewrite(dir);
        Path local = dir.isEmpty() ? files.root() : mapped.equals(dir) ? files.root().resolve(dir.replaceAll("^/+", "")) : Path.of(mapped);
        try {
            Files.createDirectories(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return local;
    }

    /**
     * The pod was deleted: SIGTERM to the container's process, SIGKILL to it and every process it
     * started once the grace period (the pod's, at most 30 s) has passed. Descendants are noted
     * before the signal, since once their parent is gone they can no longer be found through it.
     */
    void stop() {
        Process running;
        synchronized (this) {
            stopped = true;
            running = process;
        }
        if (running == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(running.descendants().toList());
        running.destroy();
        long grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
        try {
            running.waitFor(Math.min(grace, MAX_GRACE.toSeconds()), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.addAll(running.descendants().toList());
        running.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Sleeps {@code time}; false when interrupted (the kubelet is closing). */
    private static boolean pause(Duration time) {
        try {
            Thread.sleep(time);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void write(PodStatus status) {
        if (stopped) {
            return;
        }
        boolean written = Conflicts.retrying(() -> settings.client().pods().inNamespace(settings.namespace()).withName(name).edit(current -> {
            current.setStatus(status);
            return current;
        }));
        if (!written) {
            return; // deleted meanwhile
        }
        settings.onStatus().accept(pod, status);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static PodStatus waiting(Container container, String reason, String message) {
        return new PodStatusBuilder().withPhase("Pending").withContainerStatuses(status(container, false,
                new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build())).build();
    }

    private static PodStatus running(Container container) {
        return new PodStatusBuilder().withPhase("Running").withStartTime(now()).withContainerStatuses(status(container, true,
                new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build())).build();
    }

    private static PodStatus terminated(Container container, int exitCode, String reason, String message) {
        return new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed").withContainerStatuses(status(container, false,
                new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                        .withFinishedAt(now()).endTerminated().build())).build();
    }

    private static ContainerStatus status(Container container, boolean ready, io.fabric8.kubernetes.api.model.ContainerState state) {
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage()).withReady(ready)
                .withRestartCount(0).withState(state).build();
    }
}
