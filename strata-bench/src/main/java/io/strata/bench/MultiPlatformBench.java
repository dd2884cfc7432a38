package io.strata.bench;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.local.worker.LocalServices;
import io.strata.testkit.BuildParts;
import io.strata.testkit.GitRepoFixture;
import io.strata.worker.buildah.BuildahOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The wall time of a two-platform build (x86_64 natively and aarch64 under QEMU, in parallel, joined
 * into one index) against each platform built alone, all in one run and on one registry and buildah
 * storage, so the figure says what orchestrating costs over the slower platform alone. Every build
 * gets a nonce build argument of its own, so none reuses another's layers. The RUN step does a
 * little shell work, which emulation makes slow, as real RUN steps are.
 *
 * <p>Usage: {@code MultiPlatformBench [iterations] [vfs|overlay]}; prints a Markdown table.
 */
public final class MultiPlatformBench {
    private static final String DOCKERFILE = """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            ARG NONCE
            LABEL name="bench/multi" version="1.0"
            RUN echo "$NONCE" > /nonce && i=0 && while [ $i -lt 20000 ]; do i=$((i+1)); done && uname -m > /arch
            """;
    private static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("x86_64 alone", List.of("x86_64"));
        KINDS.put("aarch64 alone (emulated)", List.of("aarch64"));
        KINDS.put("x86_64 + aarch64", List.of("x86_64", "aarch64"));
    }

    private MultiPlatformBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String driver = args.length > 1 ? args[1] : "vfs";
        Path work = Files.createTempDirectory("strata-bench-multi-");
        try (BuildParts parts = BuildParts.start(List.of("amd64", "arm64"));
                GitRepoFixture repo = GitRepoFixture.create(work.resolve("repo"))) {
            repo.write("Dockerfile", DOCKERFILE);
            String commit = repo.commit("bench");
            Configuration config = ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                    work.resolve("no-osbs.conf"), work)
                    .withOverride("registry_uri", "http://" + parts.registry().host() + "/v2")
                    .withOverride("strata_home", work.resolve("strata").toString())
                    .withOverride("strata_registry_auth_file", parts.registry().writeAuthFile(work.resolve("auth.json")).toString()))
                    .config();
            BuildahOptions options = new BuildahOptions(work.resolve("storage/root"), work.resolve("storage/run"), driver, null, true);
            Map<String, List<Duration>> times = new LinkedHashMap<>();
            try (LocalServices services = LocalServices.open(config, options, new PrintStream(PrintStream.nullOutputStream()))) {
                // Warm-up: base images pulled for both platforms, JIT warm, store migrated.
                build(services, config, repo, commit, parts.baseImage(), List.of("x86_64", "aarch64"), "warmup");
                for (int i = 0; i < iterations; i++) {
                    // Rotate the order so no kind always runs first on a cooler machine.
                    List<String> order = new ArrayList<>(KINDS.keySet());
                    java.util.Collections.rotate(order, i);
                    for (String kind : order) {
                        times.computeIfAbsent(kind, k -> new ArrayList<>()).add(
                                build(services, config, repo, commit, parts.baseImage(), KINDS.get(kind), kind + "-" + i));
                    }
                }
            }
            report(iterations, driver, times);
        } finally {
            BuildOverheadBench.deleteRecursively(work);
        }
    }

    private static Duration build(LocalServices services, Configuration config, GitRepoFixture repo, String commit,
            String base, List<String> platforms, String nonce) throws Exception {
        long start = System.nanoTime();
        BuildRequest request = BuildRequest.builder().component("bench-multi").gitUri(repo.uri().toString()).gitRef(commit)
                .buildArgs(Map.of("BASE_IMAGE", base, "NONCE", nonce)).platforms(platforms).scratch(true).build();
        var plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
        BuildRecord done = services.builds().run(services.builds().submit(request, config, plan), event -> { });
        if (done.state() != BuildState.COMPLETE) {
            throw new IllegalStateException("build for " + platforms + " failed: " + done.failure());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void report(int iterations, String driver, Map<String, List<Duration>> times) {
        System.out.println("storage driver: " + driver + ", iterations: " + iterations);
        System.out.println("| build | median s | each (s) |");
        System.out.println("|---|---|---|");
        times.forEach((kind, values) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %s |%n", kind,
                BuildOverheadBench.median(values), BuildOverheadBench.seconds(values)));
        double slower = Math.max(BuildOverheadBench.median(times.get("x86_64 alone")),
                BuildOverheadBench.median(times.get("aarch64 alone (emulated)")));
        System.out.printf(Locale.ROOT, "%ntwo platforms / slower platform alone: %.2f%n",
                BuildOverheadBench.median(times.get("x86_64 + aarch64")) / slower);
    }
}
