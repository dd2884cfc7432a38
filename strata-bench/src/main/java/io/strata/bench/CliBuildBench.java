package io.strata.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole command line against buildah, side by side in one run: the small Dockerfile of
 * {@link BuildOverheadBench} built and pushed N times by {@code buildah bud} + {@code buildah push}
 * and N times by {@code ./strata build} with {@code STRATA_DAEMON=off} (a fresh JVM through the launcher:
 * start-up cache, C1, the dependency check, configuration, store, the build, its record), each round in another
 * order. Several launchers (say, this tree's and a checkout of the code before a change) are measured
 * in the same run, each with a store of its own. Wall time and CPU time (user + system of the command
 * and the children it waited for) are both reported: on a shared machine the CPU time is the steadier. Both sides use one overlay storage of their own (through
 * {@code CONTAINERS_STORAGE_CONF}, so Strata's buildah uses it too) and one registry on loopback;
 * a nonce build argument makes every build of either side miss the layer cache at the same step.
 *
 * <p>Where Strata's time goes outside the steps: each build's wall time minus its record's
 * duration (first state change to last), and, timed alone in the same run, {@code strata
 * --version} (JVM start and the command tree), {@code strata list-builds} (plus the store's
 * opening) and the launcher's dependency check ({@code scripts/install-deps runtime}).
 *
 * <p>The first launcher is measured two more ways: as it runs by default, its builds handed to the build daemon
 * its first build started (io.strata.cli.daemon; the run fails unless every later build of that side reached the
 * daemon), and its builds handed to a {@code strata serve} of its own ({@code --server}), whose JVM and store stay
 * warm. Those sides' CPU is the command's plus the daemon's or the service's during the build.
 *
 * <p>Then build avoidance through the command line: each side submits an unchanged scratch build N
 * times more, which is reused, set beside {@code --version} alone (issue 15's target: JVM start + 0.3 s).
 *
 * <p>Usage: {@code CliBuildBench STRATA_LAUNCHER[,STRATA_LAUNCHER...] [iterations]}; prints Markdown. Needs
 * root (buildah). With {@code BENCH_HOLD} set it only sets everything up for profiling by hand.
 */
public final class CliBuildBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> launchers;
    private final Path work;
    private final Map<String, String> environment;

    private CliBuildBench(List<Path> launchers, Path work, Map<String, String> environment) {
        this.launchers = launchers;
        this.work = work;
        this.environment = environment;
    }

    public static void main(String[] args) throws Exception {
        // Several launchers, comma-separated (this tree's and an earlier one's), are measured alternately in one run.
        List<Path> launchers = java.util.Arrays.stream(args[0].split(",")).map(l -> Path.of(l).toAbsolutePath()).toList();
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path work = Files.createTempDirectory("strata-cli-bench-");
        try (BenchParts parts = BenchParts.start(work)) {
            RegistryFixture registry = parts.registry();
            GitRepoFixture repo = parts.repo();
            String base = parts.base();
            repo.write("Dockerfile", BuildOverheadBench.DOCKERFILE);
            String commit = repo.commit("bench");
            Path auth = registry.writeAuthFile(work.resolve("auth.json"));
            Path storageConf = work.resolve("storage.conf");
            Files.writeString(storageConf, "[storage]\ndriver = \"overlay\"\ngraphroot = \"" + work.resolve("storage/root")
                    + "\"\nrunroot = \"" + work.resolve("storage/run") + "\"\n");
            Path config = work.resolve("osbs.conf");
            Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\n");
            Map<String, String> environment = new HashMap<>();
            environment.put("CONTAINERS_STORAGE_CONF", storageConf.toString());
            environment.put("HOME", Files.createDirectories(work.resolve("home")).toString());
            environment.put("STRATA_HOME", work.resolve("strata").toString());
            environment.put("STRATA_CONFIG", config.toString());
            environment.put("STRATA_REGISTRY_AUTH_FILE", auth.toString());
            CliBuildBench bench = new CliBuildBench(launchers, work, environment);
            try {
                if (System.getenv("BENCH_HOLD") != null) {
                    bench.hold(repo, commit, base);
                } else {
                    bench.run(iterations, registry, auth, repo, commit, base);
                }
            } finally {
                bench.buildah("rm", "--all");
                bench.buildah("rmi", "--all", "--force");
            }
        } finally {
            BuildOverheadBench.deleteRecursively(work);
        }
    }

    private void run(int iterations, RegistryFixture registry, Path auth, GitRepoFixture repo, String commit, String base)
            throws Exception {
        Side direct = new Side("buildah bud + push", null, environment);
        List<Side> sides = new ArrayList<>();
        for (int i = 0; i < launchers.size(); i++) {
            Map<String, String> own = new HashMap<>(environment);
            own.put("STRATA_HOME", work.resolve("strata-" + i).toString());
            own.put("STRATA_DAEMON", "off"); // a fresh JVM per build, as before the build daemon
            sides.add(new Side(launchers.get(i).toString(), launchers.get(i), own));
        }
        // The first launcher once more as it runs by default: its builds handed to the user's build daemon, which
        // the first build started (io.strata.cli.daemon).
        Map<String, String> daemonSide = new HashMap<>(environment);
        daemonSide.put("STRATA_HOME", work.resolve("strata-daemon").toString());
        Side daemon = new Side(launchers.getFirst() + " (build daemon)", launchers.getFirst(), daemonSide);
        daemon.handedOff = true;
        sides.add(daemon);
        // The first launcher once more, its builds handed to a running `strata serve` (--server): the JVM and the store
        // stay warm in the service, the command only submits and waits.
        Map<String, String> clientSide = new HashMap<>(environment);
        clientSide.put("STRATA_HOME", work.resolve("strata-client").toString());
        Served served = Served.start(launchers.getFirst(), work, environment);
        try {
            clientSide.put("STRATA_SERVER", served.url());
            clientSide.put("STRATA_SERVER_TOKEN", served.token());
            Side through = new Side(launchers.getFirst() + " --server (strata serve)", launchers.getFirst(), clientSide);
            through.service = served;
            through.handedOff = true;
            sides.add(through);
            runSides(iterations, registry, auth, repo, commit, base, direct, sides);
            reuse(iterations, repo, commit, base, sides);
            // Every build of the daemon's side but the one that started it must have gone to it: its second warm-up,
            // the timed builds, the reused one's first build and its timed repeats.
            String status = exec(daemon, launchers.getFirst().toString(), "daemon", "status").output();
            System.out.println();
            System.out.println("the build daemon after the run: " + status.lines().filter(line -> line.startsWith("commands")
                    || line.startsWith("up")).toList());
            if (!status.contains("commands " + (2 * iterations + 2) + "\n")) {
                throw new IllegalStateException("builds of the daemon's side did not reach the daemon (" + (2 * iterations + 2)
                        + " expected):\n" + status);
            }
        } finally {
            served.close();
            exec(daemon, launchers.getFirst().toString(), "daemon", "stop");
        }
    }

    private void runSides(int iterations, RegistryFixture registry, Path auth, GitRepoFixture repo, String commit,
            String base, Side direct, List<Side> sides) throws Exception {
        System.out.println("load average at the start: " + loadAverage());
        // Warm-up of each: the base image pulled, the store created and migrated, the start-up caches written
        // (an AOT cache is taken by the command after the one that wrote it: two warm-up builds).
        directBuild(direct, registry, auth, repo.directory(), base, "warmup");
        for (int k = 0; k < sides.size(); k++) {
            Side side = sides.get(k);
            strataBuild(side, repo, commit, base, "warmup-1-" + k);
            if (side.handedOff && side.service == null) {
                side.daemonPid = awaitDaemon(side); // started by that first build as it ended
            }
            strataBuild(side, repo, commit, base, "warmup-2-" + k);
            side.clear();
        }
        for (int i = 0; i < iterations; i++) {
            // Each round in another order: buildah, then each launcher, rotated by one each time.
            int count = sides.size() + 1;
            for (int k = 0; k < count; k++) {
                int which = (i + k) % count;
                if (which == 0) {
                    directBuild(direct, registry, auth, repo.directory(), base, "direct-" + i);
                } else {
                    // A nonce per launcher too: the sides share buildah's storage, and the second build of one
                    // nonce would find the first one's RUN layer in the cache.
                    strataBuild(sides.get(which - 1), repo, commit, base, "strata-" + i + "-" + which);
                }
            }
        }
        for (int i = 0; i < iterations; i++) {
            for (int k = 0; k < sides.size(); k++) {
                Side side = sides.get((i + k) % sides.size());
                if (side.handedOff) {
                    continue; // the same command start as the first launcher's; list-builds would ask the service
                }
                side.version.add(exec(side, side.launcher.toString(), "--version").wall());
                side.list.add(exec(side, side.launcher.toString(), "list-builds", "--limit", "1").wall());
            }
            direct.deps.add(exec(direct, launchers.getFirst().resolveSibling("scripts/install-deps").toString(), "runtime").wall());
        }
        System.out.println("load average at the end: " + loadAverage());
        System.out.println();
        double directMedian = BuildOverheadBench.median(direct.wall);
        double directCpu = BuildOverheadBench.median(direct.cpu);
        System.out.println("| command | iterations | wall (median s) | wall ratio | CPU user+sys (median s) | CPU ratio |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| buildah bud + push | %d | %.2f | 1.00 | %.2f | 1.00 |%n", iterations, directMedian, directCpu);
        for (Side side : sides) {
            double wall = BuildOverheadBench.median(side.wall);
            double cpu = BuildOverheadBench.median(side.cpu);
            System.out.printf(Locale.ROOT, "| `%s build` | %d | %.2f | %.2f | %.2f | %.2f |%n", side.label, iterations, wall,
                    wall / directMedian, cpu, cpu / directCpu);
        }
        System.out.println();
        System.out.println("buildah wall: " + BuildOverheadBench.seconds(direct.wall) + " CPU: " + BuildOverheadBench.seconds(direct.cpu));
        for (Side side : sides) {
            System.out.println(side.label + " wall: " + BuildOverheadBench.seconds(side.wall) + " CPU: "
                    + BuildOverheadBench.seconds(side.cpu));
        }
        for (Side side : sides) {
            System.out.println();
            System.out.println("| where `" + side.label + " build`'s time goes (median s) | |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| whole command | %.3f |%n", BuildOverheadBench.median(side.wall));
            System.out.printf(Locale.ROOT, "| outside the record (wall − first to last state change) | %.3f |%n",
                    BuildOverheadBench.median(side.outside));
            System.out.printf(Locale.ROOT, "| inside the record, outside the steps | %.3f |%n", BuildOverheadBench.median(side.between));
            side.steps.forEach((step, times) -> System.out.printf(Locale.ROOT, "| step `%s` | %.3f |%n", step,
                    BuildOverheadBench.median(times)));
            if (!side.handedOff) {
                System.out.printf(Locale.ROOT, "| alone: `--version` (JVM start, command tree) | %.3f |%n",
                        BuildOverheadBench.median(side.version));
                System.out.printf(Locale.ROOT, "| alone: `list-builds --limit 1` (+ store open, one query) | %.3f |%n",
                        BuildOverheadBench.median(side.list));
            }
        }
        System.out.printf(Locale.ROOT, "%n| alone: `scripts/install-deps runtime` (the launcher's check) | %.3f |%n",
                BuildOverheadBench.median(direct.deps));
    }

    /** One side of the comparison: buildah itself (no launcher) or one Strata launcher, with what was measured of it. */
    private static final class Side {
        final String label;
        final Path launcher;
        final Map<String, String> environment;
        final List<Duration> wall = new ArrayList<>();
        final List<Duration> cpu = new ArrayList<>();
        final List<Duration> outside = new ArrayList<>();
        final List<Duration> between = new ArrayList<>();
        final Map<String, List<Duration>> steps = new LinkedHashMap<>();
        final List<Duration> version = new ArrayList<>();
        final List<Duration> list = new ArrayList<>();
        final List<Duration> deps = new ArrayList<>();
        /** The service this side's builds are handed to; its CPU during each build is counted with the command's. */
        Served service;
        /** The build daemon this side's builds are handed to; its CPU during each build is counted with the command's. */
        Long daemonPid;
        /** Whether this side's builds run in another process (a service or a build daemon). */
        boolean handedOff;

        /** The CPU time so far of the process this side hands its builds to, with its children (buildah). */
        Duration helperCpu() {
            if (service != null) {
                return service.cpu();
            }
            return daemonPid == null ? Duration.ZERO : ProcessCpu.withChildren(daemonPid);
        }

        Side(String label, Path launcher, Map<String, String> environment) {
            this.label = label;
            this.launcher = launcher;
            this.environment = environment;
        }

        void clear() {
            wall.clear();
            cpu.clear();
            outside.clear();
            between.clear();
            steps.clear();
        }
    }

    /**
     * A {@code strata serve} of the first launcher with the bench's environment and a home of its own, on a free
     * loopback port, with an API token for the builds handed to it.
     */
    private record Served(Process process, String url, String token) implements AutoCloseable {
        static Served start(Path launcher, Path work, Map<String, String> environment) throws Exception {
            Map<String, String> own = new HashMap<>(environment);
            own.put("STRATA_HOME", work.resolve("strata-served").toString());
            ProcessBuilder serve = new ProcessBuilder(launcher.toString(), "serve", "--listen", "127.0.0.1:0")
                    .redirectError(work.resolve("serve.log").toFile());
            serve.environment().keySet().removeIf(name -> name.startsWith("STRATA_"));
            serve.environment().putAll(own);
            Process process = serve.start();
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            java.util.regex.Matcher listening = java.util.regex.Pattern.compile("(https?://\\S+)").matcher(first == null ? "" : first);
            if (!listening.find()) {
                process.destroy();
                throw new IllegalStateException("strata serve did not start: " + first + "\n"
                        + Files.readString(work.resolve("serve.log")));
            }
            ProcessBuilder tokens = new ProcessBuilder(launcher.toString(), "tokens", "create", "--user", "bench")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            tokens.environment().keySet().removeIf(name -> name.startsWith("STRATA_"));
            tokens.environment().putAll(own);
            Process created = tokens.start();
            String token = new String(created.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (created.waitFor() != 0 || token.isEmpty()) {
                process.destroy();
                throw new IllegalStateException("strata tokens create failed");
            }
            return new Served(process, listening.group(1), token);
        }

        /** The service's CPU time so far, with the children it waited for (buildah). */
        Duration cpu() {
            return ProcessCpu.withChildren(process.pid());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * For profiling by hand (BENCH_HOLD set): writes the bench's environment and one build's command line to
     * {@code env.sh} in the work directory and waits for a line on stdin before tearing everything down.
     */
    private void hold(GitRepoFixture repo, String commit, String base) throws IOException {
        StringBuilder script = new StringBuilder();
        environment.forEach((name, value) -> script.append("export ").append(name).append("='").append(value).append("'\n"));
        script.append("strata_build() { ").append(launchers.getFirst()).append(" build --json --component bench-hello --git-uri ")
                .append(repo.uri()).append(" --git-ref ").append(commit).append(" --platforms x86_64 --build-arg BASE_IMAGE=")
                .append(base).append(" --build-arg NONCE=\"$1\"; }\n");
        Path file = work.resolve("env.sh");
        Files.writeString(file, script);
        System.out.println("environment in " + file + "; press Enter to stop");
        System.in.read();
    }

    private void directBuild(Side side, RegistryFixture registry, Path auth, Path context, String base, String nonce)
            throws Exception {
        String tag = "localhost/direct:" + nonce;
        Timed bud = exec(side, "buildah", "bud", "--isolation", "chroot", "--layers", "--tls-verify=false", "--authfile",
                auth.toString(), "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "NONCE=" + nonce, "--tag", tag,
                context.toString());
        Path digest = work.resolve("digest-" + nonce);
        Timed push = exec(side, "buildah", "push", "--tls-verify=false", "--authfile", auth.toString(), "--digestfile",
                digest.toString(), tag, "docker://" + registry.reference("bench/direct:" + nonce));
        side.wall.add(bud.wall().plus(push.wall()));
        side.cpu.add(bud.cpu().plus(push.cpu()));
    }

    /**
     * Build avoidance through the command line (issue 15, item 2: an unchanged rebuild within JVM start + 0.3 s
     * through the CLI): each side builds one scratch build of a nonce of its own, untimed, then submits exactly
     * that request again each round, which build avoidance completes at once with the earlier image
     * ({@code reused_from}). Set beside {@code --version} alone, which is the JVM's start and the command tree.
     */
    private void reuse(int iterations, GitRepoFixture repo, String commit, String base, List<Side> sides) throws Exception {
        Map<Side, List<Duration>> wall = new LinkedHashMap<>();
        Map<Side, List<Duration>> recorded = new LinkedHashMap<>();
        for (int k = 0; k < sides.size(); k++) {
            buildCommand(sides.get(k), repo, commit, base, "reuse-" + k, "--scratch");
            wall.put(sides.get(k), new ArrayList<>());
            recorded.put(sides.get(k), new ArrayList<>());
        }
        for (int i = 0; i < iterations; i++) {
            for (int k = 0; k < sides.size(); k++) {
                int which = (i + k) % sides.size();
                Side side = sides.get(which);
                Timed run = buildCommand(side, repo, commit, base, "reuse-" + which, "--scratch");
                JsonNode record = JSON.readTree(run.output());
                if (record.path("reused_from").asText("").isEmpty()) {
                    throw new IllegalStateException("an unchanged scratch rebuild was not reused: " + run.output());
                }
                List<JsonNode> changes = new ArrayList<>();
                record.path("transitions").forEach(changes::add);
                wall.get(side).add(run.wall());
                recorded.get(side).add(Duration.between(Instant.parse(changes.getFirst().path("at").asText()),
                        Instant.parse(changes.getLast().path("at").asText())));
            }
        }
        double version = BuildOverheadBench.median(sides.getFirst().version);
        System.out.println();
        System.out.println("| unchanged scratch rebuild, reused | whole command (median s) | its record (median s) | "
                + "`--version` alone (median s) | command − `--version` (s) | target |");
        System.out.println("|---|---|---|---|---|---|");
        for (Side side : sides) {
            // A command handed to the service starts as the first launcher's does.
            double start = side.version.isEmpty() ? version : BuildOverheadBench.median(side.version);
            double command = BuildOverheadBench.median(wall.get(side));
            System.out.printf(Locale.ROOT, "| `%s build --scratch` | %.3f | %.3f | %.3f | %.3f | ≤ 0.3 |%n", side.label, command,
                    BuildOverheadBench.median(recorded.get(side)), start, command - start);
        }
        for (Side side : sides) {
            System.out.println(side.label + " reused, wall: " + BuildOverheadBench.seconds(wall.get(side)) + " record: "
                    + BuildOverheadBench.seconds(recorded.get(side)));
        }
    }

    /** One {@code strata build --json} of the bench's repository with build argument NONCE = {@code nonce}; fails unless COMPLETE. */
    private Timed buildCommand(Side side, GitRepoFixture repo, String commit, String base, String nonce, String... more)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(side.launcher.toString(), "build", "--json", "--component",
                "bench-hello", "--git-uri", repo.uri().toString(), "--git-ref", commit, "--platforms", "x86_64",
                "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "NONCE=" + nonce));
        command.addAll(List.of(more));
        Timed run = exec(side, command.toArray(String[]::new));
        if (!"COMPLETE".equals(JSON.readTree(run.output()).path("state").asText())) {
            throw new IllegalStateException("strata build did not complete: " + run.output());
        }
        return run;
    }

    private void strataBuild(Side side, GitRepoFixture repo, String commit, String base, String nonce) throws Exception {
        Duration helperCpu = side.helperCpu();
        Timed run = buildCommand(side, repo, commit, base, nonce);
        JsonNode record = JSON.readTree(run.output());
        side.wall.add(run.wall());
        side.cpu.add(run.cpu().plus(side.helperCpu().minus(helperCpu)));
        List<Instant> changes = new ArrayList<>();
        record.path("transitions").forEach(change -> changes.add(Instant.parse(change.path("at").asText())));
        Duration inSteps = Duration.ZERO;
        for (JsonNode step : record.path("steps")) {
            Duration took = Duration.between(Instant.parse(step.path("started_at").asText()),
                    Instant.parse(step.path("finished_at").asText()));
            side.steps.computeIfAbsent(step.path("step").asText(), k -> new ArrayList<>()).add(took);
            inSteps = inSteps.plus(took);
        }
        if (changes.size() >= 2) {
            Duration recorded = Duration.between(changes.getFirst(), changes.getLast());
            side.outside.add(run.wall().minus(recorded));
            side.between.add(recorded.minus(inSteps));
        }
    }

    /** Waits for the build daemon a side's first build started, and returns its pid (from {@code strata daemon status}). */
    private long awaitDaemon(Side side) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < end) {
            String status = exec(side, side.launcher.toString(), "daemon", "status").output();
            java.util.Optional<String> pid = status.lines().filter(line -> line.startsWith("pid ")).findFirst();
            if (pid.isPresent()) {
                return Long.parseLong(pid.get().substring(4).strip());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no build daemon answered within two minutes of the first build; see "
                + work.resolve("home/.cache/strata/daemons"));
    }

    private void buildah(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("buildah"));
        command.addAll(List.of(args));
        exec(new Side("cleanup", null, environment), command.toArray(String[]::new));
    }

    /** What one command took: wall time, CPU time (user + system of it and every child it waited for), its stdout. */
    private record Timed(Duration wall, Duration cpu, String output) {}

    /**
     * Runs a command with {@code side}'s environment under {@code /usr/bin/time} (CPU time of the command and
     * the children it waited for: buildah's, Strata's JVM's); fails on a non-zero exit.
     */
    private Timed exec(Side side, String... command) throws IOException, InterruptedException {
        Path cpuFile = work.resolve("cpu.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()));
        timed.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(timed).redirectError(work.resolve("stderr.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STRATA_"));
        builder.environment().remove("XDG_RUNTIME_DIR"); // the build daemon's socket under the bench's own HOME
        builder.environment().putAll(side.environment);
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + exit + "): " + output
                    + Files.readString(work.resolve("stderr.log")));
        }
        String[] cpu = Files.readString(cpuFile).trim().split("\\s+");
        double seconds = Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1]);
        return new Timed(wall, Duration.ofMillis(Math.round(seconds * 1000)), output);
    }
}
