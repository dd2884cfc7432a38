package io.strata.bench;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.Configuration;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.Plan;
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
import java.util.TreeMap;

/**
 * What the supply-chain steps (attach_sbom, attach_provenance) add to a small build, in one run:
 * the small build of {@link BuildOverheadBench} built by Strata with the default plan and with the
 * same plan without those two steps ({@code disable_plugins}), alternated round by round (which
 * goes first alternates too), on one buildah storage, one registry and one Strata process. The
 * overhead is read two ways: the difference of the two sides' medians over the plain side's median,
 * and the two steps' own recorded time over the build's (both per build, medians).
 *
 * <p>Usage: {@code SupplyChainBench [rounds] [vfs|overlay] [htpasswd|none] [warm-up builds per side]}; prints
 * Markdown tables. The
 * registry checks htpasswd credentials (a bcrypt hash, a few milliseconds of its CPU) on every
 * request by default; {@code none} runs it without authentication, which is what every request
 * costs a registry with token authentication, to show how much of the difference is that check.
 */
public final class SupplyChainBench {
    private static final String WITHOUT_ATTESTATIONS = """
            {"disable_plugins": [{"plugin_name": "attach_sbom"}, {"plugin_name": "attach_provenance"}]}
            """;
    private static final List<String> SUPPLY_STEPS = List.of("attach_sbom", "attach_provenance");
    /**
     * The steps after the image's push: the supply-chain steps and those they overlap with
     * (gather_image_content begins their registry calls), compared between the two sides.
     */
    private static final List<String> AFTER_PUSH = List.of("gather_image_content", "attach_sbom", "attach_provenance",
            "export_koji_metadata");

    private SupplyChainBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String driver = args.length > 1 ? args[1] : "overlay";
        boolean basicAuth = switch (args.length > 2 ? args[2] : "htpasswd") {
            case "htpasswd" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("registry authentication: htpasswd or none, not " + args[2]);
        };
        int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Path work = Files.createTempDirectory("strata-bench-");
        BuildOverheadBench.Storage storage = new BuildOverheadBench.Storage(work.resolve("storage/root"),
                work.resolve("storage/run"), driver);
        try (BenchParts parts = BenchParts.start(work, basicAuth)) {
            RegistryFixture registry = parts.registry();
            GitRepoFixture repo = parts.repo();
            String base = parts.base();
            repo.write("Dockerfile", BuildOverheadBench.DOCKERFILE);
            String commit = repo.commit("bench");
            Path auth = registry.writeAuthFile(work.resolve("auth.json"));
            Configuration config = BuildOverheadBench.config(work, registry, auth);
            BuildahOptions options = new BuildahOptions(storage.root(), storage.runroot(), driver, null, true);
            Side with = new Side("with attestations", "with", Optional.empty());
            Side without = new Side("without", "without", Optional.of(new CustomizeJson("bench customize", WITHOUT_ATTESTATIONS)));
            try (LocalServices engine = LocalServices.open(config, options, new PrintStream(PrintStream.nullOutputStream()))) {
                // Untimed builds of each first: base image in storage, store migrated, CycloneDX loaded, and the JIT
                // compiler done with the build's code, as in a service that has built a few images (strata serve).
                for (int i = 0; i < warmUps; i++) {
                    build(engine, config, repo, commit, base, "warmup-" + with.nonce + "-" + i, with, false, registry.pid());
                    build(engine, config, repo, commit, base, "warmup-" + without.nonce + "-" + i, without, false,
                            registry.pid());
                }
                for (int i = 0; i < rounds; i++) {
                    List<Side> order = i % 2 == 0 ? List.of(with, without) : List.of(without, with);
                    for (Side side : order) {
                        build(engine, config, repo, commit, base, side.nonce + "-" + i, side, true, registry.pid());
                    }
                }
            }
            report(driver, rounds, warmUps, basicAuth, with, without);
        } finally {
            try {
                BuildOverheadBench.run(storage, "rm", "--all");
                BuildOverheadBench.run(storage, "rmi", "--all", "--force");
            } finally {
                BuildOverheadBench.deleteRecursively(work);
            }
        }
    }

    /** One side of the comparison: its plan's customization and what its builds took. */
    private static final class Side {
        final String name;
        /** Every build's nonce differs (this side's prefix, the round), so none reuses another's layer. */
        final String nonce;
        final Optional<CustomizeJson> customize;
        final List<Duration> totals = new ArrayList<>();
        final List<Duration> supplySteps = new ArrayList<>();
        final List<Duration> afterPush = new ArrayList<>();
        final Map<String, List<Duration>> steps = new TreeMap<>();
        /** CPU of the timed builds: this JVM's with the children it waited for (buildah...), and the registry's. */
        Duration strataCpu = Duration.ZERO;
        Duration jvmCpu = Duration.ZERO;
        Duration registryCpu = Duration.ZERO;

        Side(String name, String nonce, Optional<CustomizeJson> customize) {
            this.name = name;
            this.nonce = nonce;
            this.customize = customize;
        }
    }

    private static void build(LocalServices engine, Configuration config, GitRepoFixture repo, String commit, String base,
            String nonce, Side side, boolean timed, long registryPid) throws Exception {
        Duration strataCpu = ProcessCpu.now();
        Duration jvmCpu = ProcessCpu.jvm();
        Duration registryCpu = ProcessCpu.of(registryPid);
        long start = System.nanoTime();
        BuildRequest request = BuildRequest.builder().component("bench-hello").gitUri(repo.uri().toString()).gitRef(commit)
                .buildArgs(Map.of("BASE_IMAGE", base, "NONCE", nonce)).platforms(List.of("x86_64")).build();
        Plan plan = PlanRenderer.render("worker", config.arrangementVersion(), side.customize,
                PlanOverrides.from(request, config));
        BuildRecord done = engine.builds().run(engine.builds().submit(request, config, plan), event -> { });
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        strataCpu = ProcessCpu.now().minus(strataCpu);
        jvmCpu = ProcessCpu.jvm().minus(jvmCpu);
        registryCpu = ProcessCpu.of(registryPid).minus(registryCpu);
        if (done.state() != BuildState.COMPLETE) {
            throw new IllegalStateException("strata build failed: " + done.failure());
        }
        if (!timed) {
            return;
        }
        side.totals.add(total);
        side.strataCpu = side.strataCpu.plus(strataCpu);
        side.jvmCpu = side.jvmCpu.plus(jvmCpu);
        side.registryCpu = side.registryCpu.plus(registryCpu);
        Duration supply = Duration.ZERO;
        Duration afterPush = Duration.ZERO;
        for (var step : done.steps()) {
            side.steps.computeIfAbsent(step.step(), k -> new ArrayList<>()).add(step.duration());
            if (SUPPLY_STEPS.contains(step.step())) {
                supply = supply.plus(step.duration());
            }
            if (AFTER_PUSH.contains(step.step())) {
                afterPush = afterPush.plus(step.duration());
            }
        }
        side.supplySteps.add(supply);
        side.afterPush.add(afterPush);
    }

    private static void report(String driver, int rounds, int warmUps, boolean basicAuth, Side with, Side without) {
        double withMedian = BuildOverheadBench.median(with.totals);
        double withoutMedian = BuildOverheadBench.median(without.totals);
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < with.totals.size(); i++) {
            shares.add((double) with.supplySteps.get(i).toNanos() / with.totals.get(i).toNanos());
        }
        System.out.println("storage driver: " + driver + ", rounds: " + rounds + " each, alternated, after " + warmUps
                + " untimed build(s) each; registry authentication: " + (basicAuth ? "htpasswd (bcrypt) on every request" : "none"));
        System.out.println("| strata build with attestations (median s) | without (median s) | difference of medians |"
                + " attach_sbom + attach_provenance (median s) | their share of each build (median) |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %.2f | %.2f | %+.1f%% | %.3f | %.1f%% |%n", withMedian, withoutMedian,
                100 * (withMedian - withoutMedian) / withoutMedian, BuildOverheadBench.median(with.supplySteps),
                100 * shares.stream().sorted().toList().get(shares.size() / 2));
        // Each round builds both sides back to back, so a round's difference is free of the machine's drift over the
        // run (on a busy 2-core host the medians of each side move by more than the difference between them).
        List<Double> paired = new ArrayList<>();
        for (int i = 0; i < Math.min(with.totals.size(), without.totals.size()); i++) {
            paired.add((double) (with.totals.get(i).toNanos() - without.totals.get(i).toNanos()) / without.totals.get(i).toNanos());
        }
        System.out.printf(Locale.ROOT, "%nmedian of the rounds' own differences (both sides built back to back): %+.1f%%%n",
                100 * paired.stream().sorted().toList().get(paired.size() / 2));
        double afterWith = BuildOverheadBench.median(with.afterPush);
        double afterWithout = BuildOverheadBench.median(without.afterPush);
        System.out.println();
        System.out.println("| steps after the push, with (median s) | without (median s) | difference, of the build without |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| %.3f | %.3f | %.1f%% |%n", afterWith, afterWithout,
                100 * (afterWith - afterWithout) / withoutMedian);
        System.out.println();
        double jvmWith = with.strataCpu.toNanos() / 1e9 / with.totals.size();
        double jvmWithout = without.strataCpu.toNanos() / 1e9 / without.totals.size();
        double registryWith = with.registryCpu.toNanos() / 1e9 / with.totals.size();
        double registryWithout = without.registryCpu.toNanos() / 1e9 / without.totals.size();
        System.out.println("| CPU per build (mean s) | with | without | difference | of the build without (CPU) |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| Strata's JVM and its children (buildah, ...) | %.3f | %.3f | %+.3f | |%n", jvmWith,
                jvmWithout, jvmWith - jvmWithout);
        double ownWith = with.jvmCpu.toNanos() / 1e9 / with.totals.size();
        double ownWithout = without.jvmCpu.toNanos() / 1e9 / without.totals.size();
        System.out.printf(Locale.ROOT, "| of it, the JVM itself (Java code, JIT, GC) | %.3f | %.3f | %+.3f | |%n", ownWith,
                ownWithout, ownWith - ownWithout);
        System.out.printf(Locale.ROOT, "| the registry | %.3f | %.3f | %+.3f | |%n", registryWith, registryWithout,
                registryWith - registryWithout);
        System.out.printf(Locale.ROOT, "| both | %.3f | %.3f | %+.3f | %+.1f%% |%n", jvmWith + registryWith,
                jvmWithout + registryWithout, jvmWith + registryWith - jvmWithout - registryWithout,
                100 * (jvmWith + registryWith - jvmWithout - registryWithout) / (jvmWithout + registryWithout));
        System.out.println();
        System.out.println("with:    " + BuildOverheadBench.seconds(with.totals));
        System.out.println("without: " + BuildOverheadBench.seconds(without.totals));
        System.out.println("supply steps: " + BuildOverheadBench.seconds(with.supplySteps));
        System.out.println("after the push, with:    " + BuildOverheadBench.seconds(with.afterPush));
        System.out.println("after the push, without: " + BuildOverheadBench.seconds(without.afterPush));
        System.out.println();
        System.out.println("per step (median s): with / without");
        with.steps.forEach((step, times) -> System.out.printf(Locale.ROOT, "  %-26s %.3f / %s%n", step,
                BuildOverheadBench.median(times), without.steps.containsKey(step)
                        ? String.format(Locale.ROOT, "%.3f", BuildOverheadBench.median(without.steps.get(step))) : "-"));
    }
}
