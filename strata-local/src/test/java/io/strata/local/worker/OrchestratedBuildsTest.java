package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.WorkerBuild;
import io.strata.core.config.Configuration;
import io.strata.core.engine.Engine;
import io.strata.core.engine.WorkerResult;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.worker.buildah.BuildahOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-platform builds through the engine port, with the embedded store and a scripted worker
 * engine (or the dry-run engine through the queue): one worker build per platform, each a build of
 * its own; failures, cancels, placement limits and up-front refusals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrchestratedBuildsTest {
    static final List<String> THREE = List.of("x86_64", "aarch64", "s390x");

    @TempDir
    Path home;

    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private BuildStore store;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    Configuration config(Map<String, String> overrides) throws StrataException {
        return QueuedBuildsTest.dryRunConfig(home, overrides);
    }

    /** The service of `strata build` (at once, in this process) over {@code workers}, orchestrated. */
    LocalBuildService service(Engine workers, Configuration config, PlatformPlacement.DrainCheck drain) throws Exception {
        store = io.strata.local.store.BuildStores.open(config.strata().storeUrl(), Optional.empty(), Optional.empty());
        opened.add(store);
        PrintStream diag = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        var parts = new Orchestration.Parts(store, Optional.empty(), io.strata.registry.Platform::fromKojiArch,
                home.resolve("workspaces"), Duration.ofHours(3), false, Clock.systemUTC(), diag);
        var engine = new OrchestratingEngine(workers, new PlatformPlacement(List.of(workers), config, drain), parts);
        var orphans = new OrphanedBuilds(store, new io.strata.worker.buildah.WorkingContainers(BuildahOptions.systemDefault()),
                Clock.systemUTC(), diag);
        return new LocalBuildService(store, Optional.of(engine), config, new SecretVault(home.resolve("secrets")),
                home.resolve("workspaces"), Clock.systemUTC(), diag, orphans);
    }

    static BuildRequest request(List<String> platforms) {
        return BuildRequest.builder().component("hello").gitUri("https://git.example.com/hello").gitRef("main")
                .platforms(platforms).build();
    }

    static Plan plan(BuildRequest request, Configuration config) throws StrataException {
        return PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(), PlanOverrides.from(request, config));
    }

    BuildRecord runAtOnce(LocalBuildService service, Configuration config, List<String> platforms) throws Exception {
        BuildRequest request = request(platforms);
        return service.run(service.submit(request, config, plan(request, config)), event -> { });
    }

    @Test
    void everyPlatformIsAWorkerBuildOfItsOwnAndOneFailingLetsTheOthersFinish() throws Exception {
        var engine = new QueuedBuildsTest.ScriptedEngine(spec -> spec.platform().equals("aarch64")
                ? WorkerResult.failed(new Failure("STEP_FAILED", "buildah_build: RUN exited 1", "see the log"), false)
                : WorkerResult.complete());
        Configuration config = config(Map.of());
        LocalBuildService service = service(engine, config, PlatformPlacement.DrainCheck.NONE);

        BuildRecord done = runAtOnce(service, config, THREE);

        assertThat(done.state()).isEqualTo(BuildState.FAILED);
        assertThat(done.failure().orElseThrow().reason()).isEqualTo(Orchestration.PLATFORMS_FAILED);
        assertThat(done.failure().orElseThrow().message())
                .contains("1 of 3 platforms failed: aarch64 FAILED STEP_FAILED: buildah_build: RUN exited 1",
                        "completed: x86_64, s390x");
        assertThat(done.failure().orElseThrow().hint()).contains("--platform aarch64");
        assertThat(done.workers()).extracting(WorkerBuild::platform).containsExactlyElementsOf(THREE);
        assertThat(done.workers()).extracting(WorkerBuild::state)
                .containsExactly(BuildState.COMPLETE, BuildState.FAILED, BuildState.COMPLETE);
        assertThat(done.steps()).extracting(t -> t.step() + " " + t.outcome()).containsExactly("orchestrate_build FAILED");
        // Each worker got its own spec: its platform, one platform in its request, its orchestrator named.
        assertThat(engine.specs).hasSize(3).allSatisfy(spec -> {
            assertThat(spec.orchestrator()).contains(done.id());
            assertThat(spec.request().platforms()).containsExactly(spec.platform());
            assertThat(store.find(spec.buildId()).orElseThrow().parent()).contains(done.id());
        });
        assertThat(store.list(BuildQuery.all(10))).hasSize(1);
    }

    @Test
    void cancellingTheOrchestratorCancelsEveryWorker() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(3);
        var engine = new QueuedBuildsTest.ScriptedEngine(spec -> {
            allStarted.countDown();
            try {
                Thread.sleep(Duration.ofHours(1));
                return WorkerResult.complete();
            } catch (InterruptedException e) {
                return WorkerResult.cancelled();
            }
        });
        // Room for all three at once (strata_concurrency is 2 by default: the third would wait for a place).
        Configuration config = config(Map.of("strata_concurrency", "3"));
        LocalBuildService service = service(engine, config, PlatformPlacement.DrainCheck.NONE);
        BuildRequest request = request(THREE);
        SubmittedBuild submitted = service.submit(request, config, plan(request, config));
        List<BuildRecord> result = new ArrayList<>();
        Thread run = Thread.ofVirtual().start(() -> {
            try {
                result.add(service.run(submitted, event -> { }));
            } catch (StrataException e) {
                throw new IllegalStateException(e);
            }
        });

        allStarted.await();
        run.interrupt(); // what Ctrl-C or a cancel-build seen by the lease does
        run.join();

        BuildRecord done = result.getFirst();
        assertThat(done.state()).isEqualTo(BuildState.CANCELLED);
        assertThat(done.workers()).hasSize(3).allSatisfy(w -> assertThat(w.state()).isEqualTo(BuildState.CANCELLED));
        assertThat(done.steps()).extracting(t -> t.outcome()).containsExactly(StepOutcome.CANCELLED);
    }

    @Test
    void workersWaitForAPlaceWithinTheEnginesConcurrency() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        var engine = new QueuedBuildsTest.ScriptedEngine(spec -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return WorkerResult.cancelled();
            } finally {
                running.decrementAndGet();
            }
            return WorkerResult.complete();
        });
        Configuration config = config(Map.of("strata_concurrency", "1"));
        LocalBuildService service = service(engine, config, PlatformPlacement.DrainCheck.NONE);

        BuildRecord done = runAtOnce(service, config, THREE);

        assertThat(done.state()).isEqualTo(BuildState.COMPLETE);
        assertThat(most.get()).isEqualTo(1);
        assertThat(done.workers()).extracting(WorkerBuild::state).containsOnly(BuildState.COMPLETE);
    }

    @Test
    void aPlatformNoEngineCanBuildOrWhoseEngineIsDrainedIsRefusedBeforeAnythingIsStored() throws Exception {
        var refusing = new QueuedBuildsTest.ScriptedEngine(spec -> WorkerResult.complete()) {
            @Override
            public void checkPlatform(String platform) throws StrataException {
                if (platform.equals("s390x")) {
                    throw new StrataException("PLATFORM_EMULATION_UNAVAILABLE", "cannot run s390x here", "install qemu");
                }
            }
        };
        Configuration config = config(Map.of());
        LocalBuildService service = service(refusing, config, (engine, platform) -> platform.equals("aarch64"));
        BuildRequest emulated = request(List.of("x86_64", "s390x"));
        BuildRequest drained = request(List.of("x86_64", "aarch64"));

        StrataException cannot = catchThrowableOfType(StrataException.class,
                () -> service.submit(emulated, config, plan(emulated, config)));
        StrataException wait = catchThrowableOfType(StrataException.class,
                () -> service.submit(drained, config, plan(drained, config)));

        assertThat(cannot.reason()).isEqualTo("PLATFORM_EMULATION_UNAVAILABLE");
        assertThat(wait.reason()).isEqualTo(PlatformPlacement.PLATFORM_DRAINED);
        assertThat(wait.getMessage()).contains("aarch64", "scripted");
        assertThat(store.list(BuildQuery.all(10))).isEmpty();
    }

    @Test
    void aMultiPlatformBuildFromTheQueueIsOrchestratedToo() throws Exception {
        LocalServices services = LocalServices.open(config(Map.of("strata_dry_run_delay", "100ms")),
                BuildahOptions.systemDefault(), new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
        opened.add(services);
        BuildRecord submitted = services.builds().submit(BuildSubmission.of(request(List.of("x86_64", "ppc64le"))),
                Caller.user("alice"));
        services.startScheduler(QueuedBuildsTest.settings(2, Duration.ofHours(3)));

        BuildRecord done = QueuedBuildsTest.awaitEnd(services.builds(), submitted.id());

        assertThat(done.state()).as(diagnostics.toString()).isEqualTo(BuildState.COMPLETE);
        assertThat(done.workers()).extracting(w -> w.platform() + " " + w.state())
                .containsExactly("x86_64 COMPLETE", "ppc64le COMPLETE");
        assertThat(done.steps()).extracting(t -> t.step() + " " + t.outcome())
                .containsExactly("orchestrate_build SUCCEEDED", "group_manifests SKIPPED");
        BuildId worker = done.workers().get(1).id();
        assertThat(services.store().logs(worker, 0, 100)).isNotEmpty();
    }
}
