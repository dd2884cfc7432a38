package io.strata.bench;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildEvent;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.local.worker.LocalServices;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Strata's overhead on a small build, side by side with the tool it drives, in one run: the same
 * Dockerfile built and pushed N times by {@code buildah bud} + {@code buildah push} directly, and
 * N times by Strata's local engine (check-out, pinning, labels, build, push with tags, content,
 * metadata, every event recorded in the store). Strata runs in this process, so JVM start-up is
 * excluded, as the target asks. Both sides share one buildah storage and one registry; a nonce
 * build argument, different for every build of either side, makes every build miss the layer cache
 * at the same step, so both do the same work (with a shared nonce the second of a pair reused the
 * first one's layer and ran several times faster).
 *
 * <p>Usage: {@code BuildOverheadBench [iterations] [vfs|overlay] [trace]}; prints a Markdown table
 * ({@code trace}: and the last Strata build's steps and log lines, each with the milliseconds since
 * it was submitted, as they reached the engine's listener: where a step's time goes). The
 * storage driver matters: vfs copies the whole root filesystem for every layer and container, overlay
 * (the default on users' machines) mounts; both sides always use the same one.
 */
public final class BuildOverheadBench {
    static final String DOCKERFILE = """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            ARG NONCE
            LABEL name="bench/hello" version="1.0"
            RUN echo "$NONCE" > /nonce && mkdir -p /app && echo hello > /app/hello
            CMD ["/bin/sh"]
            """;

    private BuildOverheadBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String driver = args.length > 1 ? args[1] : "vfs";
        boolean trace = args.length > 2 && args[2].equals("trace");
        String loadBefore = loadAverage();
        Path work = Files.createTempDirectory("strata-bench-");
        Storage storage = new Storage(work.resolve("storage/root"), work.resolve("storage/run"), driver);
        try (BenchParts parts = BenchParts.start(work)) {
            RegistryFixture registry = parts.registry();
            GitRepoFixture repo = parts.repo();
            String base = parts.base();
            repo.write("Dockerfile", DOCKERFILE);
            String commit = repo.commit("bench");
            Path auth = registry.writeAuthFile(work.resolve("auth.json"));
            Configuration config = config(work, registry, auth);
            BuildahOptions options = new BuildahOptions(storage.root(), storage.runroot(), driver, null, true);

            List<Duration> direct = new ArrayList<>();
            List<Duration> strata = new ArrayList<>();
            List<Duration> directCpu = new ArrayList<>();
            List<Duration> strataCpu = new ArrayList<>();
            List<Duration> strataJvmCpu = new ArrayList<>();
            Map<String, List<Duration>> steps = new java.util.TreeMap<>();
            Map<String, List<Duration>> directSteps = new java.util.TreeMap<>();
            try (LocalServices engine = LocalServices.open(config, options, new PrintStream(PrintStream.nullOutputStream()))) {
                // One warm-up of each: base image pulled into storage, JIT warm, store schema migrated.
                directBuild(storage, registry, auth, repo.directory(), base, "warmup", new java.util.TreeMap<>());
                strataBuild(engine, config, repo, commit, base, "warmup", new java.util.TreeMap<>());
                for (int i = 0; i < iterations; i++) {
                    // Alternate which goes first so neither always runs on a warmer machine.
                    int round = i;
                    Timed directRun = () -> direct.add(directBuild(storage, registry, auth, repo.directory(), base,
                            "direct-" + round, directSteps));
                    Timed strataRun = () -> strata.add(strataBuild(engine, config, repo, commit, base, "strata-" + round,
                            steps));
                    if (i % 2 == 0) {
                        directCpu.add(cpuOf(directRun));
                        strataCpu.add(cpuOf(strataRun, strataJvmCpu));
                    } else {
                        strataCpu.add(cpuOf(strataRun, strataJvmCpu));
                        directCpu.add(cpuOf(directRun));
                    }
                }
            }
            System.out.println("storage driver: " + driver);
            // Two helpers and CI share this machine's cores: a figure means little without the load it ran under.
            System.out.println("load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAverage());
            report(iterations, direct, strata);
            if (trace) {
                System.out.println();
                System.out.println("the last strata build, ms since it was submitted:");
                LAST_TRACE.forEach(System.out::println);
            }
            System.out.println();
            System.out.println("CPU time, user + system, of this JVM and its buildah processes (median s):");
            System.out.println("| iterations | buildah bud + push | strata build | ratio |");
            System.out.println("|---|---|---|---|");
            System.out.printf(java.util.Locale.ROOT, "| %d | %.2f | %.2f | %.3f |%n", iterations, median(directCpu),
                    median(strataCpu), median(strataCpu) / median(directCpu));
            System.out.println("direct CPU: " + seconds(directCpu));
            System.out.println("strata CPU: " + seconds(strataCpu));
            System.out.printf(java.util.Locale.ROOT, "strata CPU of the JVM itself (median s): %.2f %s%n", median(strataJvmCpu),
                    seconds(strataJvmCpu));
            System.out.println();
            System.out.println("strata per step and outside the steps (median s):");
            steps.forEach((step, times) -> System.out.printf(java.util.Locale.ROOT, "  %-26s %.3f%n", step, median(times)));
            System.out.println("buildah run directly, per command (median s):");
            directSteps.forEach((step, times) -> System.out.printf(java.util.Locale.ROOT, "  %-26s %.3f%n", step, median(times)));
        } finally {
            try {
                run(storage, "rm", "--all");
                run(storage, "rmi", "--all", "--force");
            } finally {
                deleteRecursively(work);
            }
        }
    }

    /** The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg has them; "unknown" elsewhere. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return String.join(" ", List.of(fields).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Strata's configuration for a benchmark: its home under {@code work}, pushing to {@code registry}. */
    static Configuration config(Path work, RegistryFixture registry, Path auth) throws Exception {
        return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                work.resolve("no-osbs.conf"), work)
                .withOverride("registry_uri", "http://" + registry.host() + "/v2")
                .withOverride("strata_home", work.resolve("strata").toString())
                .withOverride("strata_registry_auth_file", auth.toString())).config();
    }

    /** One build of either side. */
    private interface Timed {
        void run() throws Exception;
    }

    /** The CPU time {@code build} took (this JVM's and the children's it waited for). */
    private static Duration cpuOf(Timed build) throws Exception {
        return cpuOf(build, new ArrayList<>());
    }

    /** As {@link #cpuOf(Timed)}; the JVM's own share goes to {@code jvmShare}. */
    private static Duration cpuOf(Timed build, List<Duration> jvmShare) throws Exception {
        Duration before = ProcessCpu.now();
        Duration jvmBefore = ProcessCpu.jvm();
        build.run();
        jvmShare.add(ProcessCpu.jvm().minus(jvmBefore));
        return ProcessCpu.now().minus(before);
    }

    /** The buildah storage both sides share. */
    record Storage(Path root, Path runroot, String driver) {}

    private static Duration directBuild(Storage buildah, RegistryFixture registry, Path auth, Path context,
            String base, String nonce, Map<String, List<Duration>> steps) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String tag = "localhost/direct:" + nonce;
        // Each command's own time, to set beside Strata's buildah_build and tag_and_push.
        run(buildah, "bud", "--isolation", "chroot", "--layers", "--tls-verify=false", "--authfile", auth.toString(),
                "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "NONCE=" + nonce, "--tag", tag, context.toString());
        long built = System.nanoTime();
        steps.computeIfAbsent("buildah bud", name -> new ArrayList<>()).add(Duration.ofNanos(built - start));
        Path digest = Files.createTempFile("digest", ".txt");
        run(buildah, "push", "--tls-verify=false", "--authfile", auth.toString(), "--digestfile", digest.toString(), tag,
                "docker://" + registry.reference("bench/direct:" + nonce));
        Files.delete(digest);
        long end = System.nanoTime();
        steps.computeIfAbsent("buildah push", name -> new ArrayList<>()).add(Duration.ofNanos(end - built));
        return Duration.ofNanos(end - start);
    }

    static void run(Storage storage, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("buildah", "--root", storage.root().toString(),
                "--runroot", storage.runroot().toString(), "--storage-driver", storage.driver()));
        command.addAll(List.of(args));
        // Into a file, not through ProcessRunner's line pumps: those would add this JVM's CPU to the direct side's.
        Path output = Files.createTempFile("strata-bench-buildah-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (process.waitFor() != 0) {
                List<String> lines = Files.readAllLines(output);
                throw new IllegalStateException("buildah failed: " + String.join(" ", args) + "; its last output:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Duration strataBuild(LocalServices engine, Configuration config, GitRepoFixture repo, String commit,
            String base, String nonce, Map<String, List<Duration>> steps) throws Exception {
        long start = System.nanoTime();
        BuildRequest request = BuildRequest.builder().component("bench-hello").gitUri(repo.uri().toString()).gitRef(commit)
                .buildArgs(Map.of("BASE_IMAGE", base, "NONCE", nonce)).platforms(List.of("x86_64")).build();
        var plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
        var submitted = engine.builds().submit(request, config, plan);
        long submittedAt = System.nanoTime();
        // Where the time outside the steps goes: before the first step (lease, RUNNING, build avoidance's
        // content key, workspace), between steps, and after the last one (records, final state).
        var firstStep = new java.util.concurrent.atomic.AtomicLong();
        var lastStep = new java.util.concurrent.atomic.AtomicLong();
        List<String> trace = new java.util.concurrent.CopyOnWriteArrayList<>();
        BuildRecord done = engine.builds().run(submitted, event -> {
            long now = System.nanoTime();
            String at = String.format(java.util.Locale.ROOT, "%8.1f ", (now - submittedAt) / 1e6);
            switch (event) {
                case BuildEvent.StepStarted started -> {
                    firstStep.compareAndSet(0, now);
                    trace.add(at + "start " + started.step());
                }
                case BuildEvent.StepFinished finished -> {
                    lastStep.set(now);
                    trace.add(at + "end   " + finished.timing().step());
                }
                case BuildEvent.LogEmitted emitted -> trace.add(at + "      " + emitted.line().text());
                default -> { }
            }
        });
        LAST_TRACE.clear();
        LAST_TRACE.addAll(trace);
        long end = System.nanoTime();
        Duration total = Duration.ofNanos(end - start);
        if (done.state() != BuildState.COMPLETE) {
            throw new IllegalStateException("strata build failed: " + done.failure());
        }
        done.steps().forEach(t -> steps.computeIfAbsent(t.step(), k -> new ArrayList<>()).add(t.duration()));
        if (firstStep.get() != 0 && lastStep.get() != 0) {
            Duration inSteps = done.steps().stream().map(t -> t.duration()).reduce(Duration.ZERO, Duration::plus);
            phase(steps, "(submit)", submittedAt - start);
            phase(steps, "(before the first step)", firstStep.get() - submittedAt);
            phase(steps, "(between steps)", lastStep.get() - firstStep.get() - inSteps.toNanos());
            phase(steps, "(after the last step)", end - lastStep.get());
        }
        return total;
    }

    /** The last Strata build's events, for {@code trace}. */
    private static final List<String> LAST_TRACE = new ArrayList<>();

    private static void phase(Map<String, List<Duration>> phases, String name, long nanos) {
        phases.computeIfAbsent(name, k -> new ArrayList<>()).add(Duration.ofNanos(nanos));
    }

    private static void report(int iterations, List<Duration> direct, List<Duration> strata) {
        double directMedian = median(direct);
        double strataMedian = median(strata);
        System.out.println("| iterations | buildah bud + push (median s) | strata build (median s) | ratio |");
        System.out.println("|---|---|---|---|");
        System.out.printf(java.util.Locale.ROOT, "| %d | %.2f | %.2f | %.3f |%n", iterations, directMedian, strataMedian,
                strataMedian / directMedian);
        System.out.println();
        System.out.println("direct: " + seconds(direct));
        System.out.println("strata: " + seconds(strata));
        int half = iterations / 2;
        if (half >= 2) {
            // The engine's JIT (C1, as strata serve's) compiles its paths over its first fifteen or so builds, and the
            // JVM's CPU per build halves meanwhile: the later half is what a service that has been up a while costs.
            System.out.printf(java.util.Locale.ROOT, "ratio by half: first %d builds %.3f, last %d builds %.3f%n", half,
                    median(strata.subList(0, half)) / median(direct.subList(0, half)), iterations - half,
                    median(strata.subList(half, iterations)) / median(direct.subList(half, iterations)));
        }
    }

    static double median(List<Duration> values) {
        List<Double> sorted = values.stream().map(d -> d.toNanos() / 1e9).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String seconds(List<Duration> values) {
        return values.stream().map(d -> String.format(java.util.Locale.ROOT, "%.2f", d.toNanos() / 1e9)).toList().toString();
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
