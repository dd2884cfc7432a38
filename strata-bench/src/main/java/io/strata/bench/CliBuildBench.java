package io.strata.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.testkit.BuildahFixture;
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
 * and N times by {@code ./strata build} (a fresh JVM through the launcher, as a user runs it: class
 * data sharing archive, C1, the dependency check, configuration, store, the build, its record),
 * alternating which goes first. Both sides use one overlay storage of their own (through
 * {@code CONTAINERS_STORAGE_CONF}, so Strata's buildah uses it too) and one registry on loopback;
 * a nonce build argument makes every build of either side miss the layer cache at the same step.
 *
 * <p>Where Strata's time goes outside the steps: each build's wall time minus its record's
 * duration (first state change to last), and, timed alone in the same run, {@code strata
 * --version} (JVM start and the command tree), {@code strata list-builds} (plus the store's
 * opening) and the launcher's dependency check ({@code scripts/install-deps runtime}).
 *
 * <p>Usage: {@code CliBuildBench STRATA_LAUNCHER [iterations]}; prints Markdown. Needs root (buildah).
 */
public final class CliBuildBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path launcher;
    private final Path work;
    private final Map<String, String> environment;

    private CliBuildBench(Path launcher, Path work, Map<String, String> environment) {
        this.launcher = launcher;
        this.work = work;
        this.environment = environment;
    }

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]).toAbsolutePath();
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path work = Files.createTempDirectory("strata-cli-bench-");
        try (RegistryFixture registry = RegistryFixture.start();
                BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(work.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("bench/busybox:1", registry);
            String base = registry.reference("bench/busybox:1");
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
            CliBuildBench bench = new CliBuildBench(launcher, work, environment);
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
        List<Duration> direct = new ArrayList<>();
        List<Duration> strata = new ArrayList<>();
        List<Duration> outside = new ArrayList<>();
        Map<String, List<Duration>> steps = new LinkedHashMap<>();
        // Warm-up of each: the base image pulled, the store created and migrated, the CDS archive written.
        directBuild(registry, auth, repo.directory(), base, "warmup");
        strataBuild(repo, commit, base, "warmup", new ArrayList<>(), new LinkedHashMap<>());
        for (int i = 0; i < iterations; i++) {
            if (i % 2 == 0) {
                direct.add(directBuild(registry, auth, repo.directory(), base, "direct-" + i));
                strata.add(strataBuild(repo, commit, base, "strata-" + i, outside, steps));
            } else {
                strata.add(strataBuild(repo, commit, base, "strata-" + i, outside, steps));
                direct.add(directBuild(registry, auth, repo.directory(), base, "direct-" + i));
            }
        }
        List<Duration> version = new ArrayList<>();
        List<Duration> list = new ArrayList<>();
        List<Duration> deps = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            version.add(timed(launcher.toString(), "--version"));
            list.add(timed(launcher.toString(), "list-builds", "--limit", "1"));
            deps.add(timed(launcher.resolveSibling("scripts/install-deps").toString(), "runtime"));
        }
        double directMedian = BuildOverheadBench.median(direct);
        double strataMedian = BuildOverheadBench.median(strata);
        System.out.println("| iterations | buildah bud + push (median s) | ./strata build (median s) | ratio |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |%n%n", iterations, directMedian, strataMedian, strataMedian / directMedian);
        System.out.println("buildah: " + BuildOverheadBench.seconds(direct));
        System.out.println("strata:  " + BuildOverheadBench.seconds(strata));
        System.out.println();
        System.out.println("| where the CLI's time goes (median s) | |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| whole `./strata build` | %.3f |%n", strataMedian);
        System.out.printf(Locale.ROOT, "| outside the record (wall − first to last state change) | %.3f |%n",
                BuildOverheadBench.median(outside));
        steps.forEach((step, times) -> System.out.printf(Locale.ROOT, "| step `%s` | %.3f |%n", step, BuildOverheadBench.median(times)));
        System.out.printf(Locale.ROOT, "| alone: `./strata --version` (JVM start, command tree) | %.3f |%n", BuildOverheadBench.median(version));
        System.out.printf(Locale.ROOT, "| alone: `./strata list-builds` (+ store open, one query) | %.3f |%n", BuildOverheadBench.median(list));
        System.out.printf(Locale.ROOT, "| alone: `scripts/install-deps runtime` (the launcher's check) | %.3f |%n", BuildOverheadBench.median(deps));
    }

    /**
     * For profiling by hand (BENCH_HOLD set): writes the bench's environment and one build's command line to
     * {@code env.sh} in the work directory and waits for a line on stdin before tearing everything down.
     */
    private void hold(GitRepoFixture repo, String commit, String base) throws IOException {
        StringBuilder script = new StringBuilder();
        environment.forEach((name, value) -> script.append("export ").append(name).append("='").append(value).append("'\n"));
        script.append("strata_build() { ").append(launcher).append(" build --json --component bench-hello --git-uri ")
                .append(repo.uri()).append(" --git-ref ").append(commit).append(" --platforms x86_64 --build-arg BASE_IMAGE=")
                .append(base).append(" --build-arg NONCE=\"$1\"; }\n");
        Path file = work.resolve("env.sh");
        Files.writeString(file, script);
        System.out.println("environment in " + file + "; press Enter to stop");
        System.in.read();
    }

    private Duration directBuild(RegistryFixture registry, Path auth, Path context, String base, String nonce) throws Exception {
        long start = System.nanoTime();
        String tag = "localhost/direct:" + nonce;
        buildah("bud", "--isolation", "chroot", "--layers", "--tls-verify=false", "--authfile", auth.toString(),
                "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "NONCE=" + nonce, "--tag", tag, context.toString());
        Path digest = work.resolve("digest-" + nonce);
        buildah("push", "--tls-verify=false", "--authfile", auth.toString(), "--digestfile", digest.toString(), tag,
                "docker://" + registry.reference("bench/direct:" + nonce));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private Duration strataBuild(GitRepoFixture repo, String commit, String base, String nonce, List<Duration> outside,
            Map<String, List<Duration>> steps) throws Exception {
        long start = System.nanoTime();
        String json = exec(launcher.toString(), "build", "--json", "--component", "bench-hello", "--git-uri", repo.uri().toString(),
                "--git-ref", commit, "--platforms", "x86_64", "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "NONCE=" + nonce);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        JsonNode record = JSON.readTree(json);
        if (!"COMPLETE".equals(record.path("state").asText())) {
            throw new IllegalStateException("strata build did not complete: " + json);
        }
        List<Instant> changes = new ArrayList<>();
        record.path("transitions").forEach(change -> changes.add(Instant.parse(change.path("at").asText())));
        if (changes.size() >= 2) {
            outside.add(wall.minus(Duration.between(changes.getFirst(), changes.getLast())));
        }
        record.path("steps").forEach(step -> steps.computeIfAbsent(step.path("step").asText(), k -> new ArrayList<>())
                .add(Duration.between(Instant.parse(step.path("started_at").asText()), Instant.parse(step.path("finished_at").asText()))));
        return wall;
    }

    private Duration timed(String... command) throws Exception {
        long start = System.nanoTime();
        exec(command);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void buildah(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("buildah"));
        command.addAll(List.of(args));
        exec(command.toArray(String[]::new));
    }

    /** Runs a command with the bench's environment; returns its standard output. */
    private String exec(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve("stderr.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STRATA_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output
                    + Files.readString(work.resolve("stderr.log")));
        }
        return output;
    }
}
