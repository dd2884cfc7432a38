package io.strata.bench;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.Configuration;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.local.worker.LocalServices;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import io.strata.worker.buildah.BuildahOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Build avoidance against buildah's own layer cache, side by side in one run (docs/benchmarks.md,
 * "Build avoidance"): a repository of F files is built once by each side; then, alternating, buildah
 * rebuilds the unchanged context with {@code bud --layers} (every step a cache hit) and pushes it,
 * while Strata's service gets a scratch build of the same commit (reused: the image re-tagged) and
 * a non-scratch one (config-only: release N+1 as a new config over the same layers). Strata's
 * figure is the record's duration, first state change to last, as the issue fixes it; the whole
 * in-process call (submit, run, read back) is printed next to it.
 *
 * <p>Usage: {@code AvoidanceBench [iterations] [files] [vfs|overlay]}; prints a Markdown table.
 */
public final class AvoidanceBench {
    private static final String DOCKERFILE = """
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            LABEL name="bench/avoid" version="1.0"
            COPY files /files
            RUN ls /files | wc -l > /count
            CMD ["/bin/sh"]
            """;

    private AvoidanceBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String driver = args.length > 2 ? args[2] : "vfs";
        Path work = Files.createTempDirectory("strata-avoid-bench-");
        BuildOverheadBench.Storage storage = new BuildOverheadBench.Storage(work.resolve("storage/root"),
                work.resolve("storage/run"), driver);
        try (BenchParts parts = BenchParts.start(work)) {
            RegistryFixture registry = parts.registry();
            GitRepoFixture repo = parts.repo();
            String base = parts.base();
            repo.write("Dockerfile", DOCKERFILE);
            String filler = "x".repeat(2048);
            for (int i = 0; i < files; i++) {
                repo.write("files/d" + (i % 50) + "/f" + i + ".txt", i + filler);
            }
            String commit = repo.commit("bench");
            Path auth = registry.writeAuthFile(work.resolve("auth.json"));
            Configuration config = BuildOverheadBench.config(work, registry, auth);
            BuildahOptions options = new BuildahOptions(storage.root(), storage.runroot(), driver, null, true);

            List<Duration> direct = new ArrayList<>();
            List<Duration> reused = new ArrayList<>();
            List<Duration> reusedCall = new ArrayList<>();
            List<Duration> configOnly = new ArrayList<>();
            List<Duration> configOnlyCall = new ArrayList<>();
            try (LocalServices service = LocalServices.open(config, options, new PrintStream(PrintStream.nullOutputStream()))) {
                // The first build of each side: layers cached (buildah) and an image with a content key (Strata).
                direct(storage, registry, auth, repo.directory(), base, 0);
                require(build(service, config, repo, commit, base, false, new ArrayList<>()), null);
                for (int i = 1; i <= iterations; i++) {
                    if (i % 2 == 0) {
                        direct.add(direct(storage, registry, auth, repo.directory(), base, i));
                    }
                    reused.add(require(build(service, config, repo, commit, base, true, reusedCall), "reused"));
                    configOnly.add(require(build(service, config, repo, commit, base, false, configOnlyCall), "config-only"));
                    if (i % 2 == 1) {
                        direct.add(direct(storage, registry, auth, repo.directory(), base, i));
                    }
                }
            }
            System.out.println("storage driver: " + driver + ", " + files + " files of 2 KB, " + iterations + " iterations");
            System.out.println("| case | buildah bud --layers + push (median s) | strata, record (median s) | strata, whole call (median s) |");
            System.out.println("|---|---|---|---|");
            double buildahMedian = BuildOverheadBench.median(direct);
            System.out.printf(Locale.ROOT, "| unchanged scratch rebuild: reused | %.3f | %.3f | %.3f |%n", buildahMedian,
                    BuildOverheadBench.median(reused), BuildOverheadBench.median(reusedCall));
            System.out.printf(Locale.ROOT, "| unchanged rebuild, new release: config-only | %.3f | %.3f | %.3f |%n", buildahMedian,
                    BuildOverheadBench.median(configOnly), BuildOverheadBench.median(configOnlyCall));
            System.out.println();
            System.out.println("buildah:      " + BuildOverheadBench.seconds(direct));
            System.out.println("reused:       " + BuildOverheadBench.seconds(reused));
            System.out.println("config-only:  " + BuildOverheadBench.seconds(configOnly));
        } finally {
            try {
                BuildOverheadBench.run(storage, "rm", "--all");
                BuildOverheadBench.run(storage, "rmi", "--all", "--force");
            } finally {
                BuildOverheadBench.deleteRecursively(work);
            }
        }
    }

    private static Duration direct(BuildOverheadBench.Storage storage, RegistryFixture registry, Path auth, Path context,
            String base, int round) throws Exception {
        long start = System.nanoTime();
        String tag = "localhost/direct-avoid:latest";
        BuildOverheadBench.run(storage, "bud", "--isolation", "chroot", "--layers", "--tls-verify=false", "--authfile",
                auth.toString(), "--build-arg", "BASE_IMAGE=" + base, "--tag", tag, context.toString());
        BuildOverheadBench.run(storage, "push", "--tls-verify=false", "--authfile", auth.toString(), tag,
                "docker://" + registry.reference("bench/direct-avoid:" + round));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The build's record; {@code calls} gets the whole in-process call's time. */
    private static BuildRecord build(LocalServices service, Configuration config, GitRepoFixture repo, String commit,
            String base, boolean scratch, List<Duration> calls) throws Exception {
        long start = System.nanoTime();
        BuildRequest request = BuildRequest.builder().component("bench-avoid").gitUri(repo.uri().toString()).gitRef(commit)
                .gitBranch("main").scratch(scratch).buildArgs(Map.of("BASE_IMAGE", base)).platforms(List.of("x86_64")).build();
        var plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
        BuildRecord done = service.builds().run(service.builds().submit(request, config, plan), event -> { });
        calls.add(Duration.ofNanos(System.nanoTime() - start));
        return done;
    }

    /** The record's duration, first state change to last; refuses a build that did not end as {@code how}. */
    private static Duration require(BuildRecord record, String how) {
        if (record.state() != BuildState.COMPLETE) {
            throw new IllegalStateException("strata build failed: " + record.failure());
        }
        boolean wasReused = record.reusedFrom().isPresent();
        boolean wasConfigOnly = record.configOnlyFrom().isPresent();
        if ("reused".equals(how) && !wasReused || "config-only".equals(how) && !wasConfigOnly || how == null && (wasReused || wasConfigOnly)) {
            throw new IllegalStateException("build " + record.id() + " was not " + (how == null ? "built" : how));
        }
        return Duration.between(record.transitions().getFirst().at(), record.transitions().getLast().at());
    }
}
