package io.strata.local.worker;

import io.strata.worker.LocalWorker;
import io.strata.worker.WorkerState;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataSettings;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.pipeline.Step;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildStore;
import io.strata.local.store.BuildStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever goes wrong inside a build, its record ends in a final state; never RUNNING. */
class LocalBuildServiceTest {
    @TempDir
    Path home;

    Finished runWith(Step<WorkerState> checkout, BuildListener view) throws Exception {
        Configuration config = ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                home.resolve("no-osbs.conf"), home)
                .withOverride("registry_uri", "http://127.0.0.1:1/v2")
                .withOverride("strata_home", home.toString())).config();
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("file:///nowhere.git").gitRef("main").build();
        Plan plan = new Plan("worker", 6, List.of(new PlanStep("check_out_source", StepPhase.PREBUILD, true, false, Map.of())));
        try (BuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
            var diagnostics = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            var engine = new LocalEngine(new LocalWorker(Map.of("check_out_source", checkout), line -> line),
                    home.resolve("workspaces"), Clock.systemUTC(), diagnostics);
            var service = new LocalBuildService(store, Optional.of(engine), config, new SecretVault(home.resolve("secrets")),
                    home.resolve("workspaces"), Clock.systemUTC(), diagnostics, new OrphanedBuilds(store,
                            new io.strata.worker.buildah.WorkingContainers(io.strata.worker.buildah.BuildahOptions.systemDefault()),
                            Clock.systemUTC(), diagnostics));
            BuildRecord done = service.run(service.submit(request, config, plan), view);
            List<LogLine> log = store.logs(done.id(), 0, 10_000);
            return new Finished(done, log);
        }
    }

    /** The final record and the log as the store keeps it. */
    record Finished(BuildRecord record, List<LogLine> log) {}

    @Test
    void aStepThrowingAnErrorEndsTheBuildFailedWithTheTraceInItsLog() throws Exception {
        Finished finished = runWith((state, context) -> {
            throw new AssertionError("a state that cannot be");
        }, event -> { });
        BuildRecord done = finished.record();

        assertThat(done.state()).isEqualTo(BuildState.FAILED);
        assertThat(done.failure()).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo("STEP_CRASHED");
            assertThat(f.hint()).contains("report it with the build log");
        });
        assertThat(finished.log()).extracting(LogLine::text).contains("java.lang.AssertionError: a state that cannot be")
                .anyMatch(line -> line.contains("at io.strata.local.worker.LocalBuildServiceTest"));
        assertThat(home.resolve("workspaces")).isEmptyDirectory();
    }

    @Test
    void aCrashOutsideTheStepsStillEndsTheBuild() throws Exception {
        Finished finished = runWith((state, context) -> state, event -> {
            if (event instanceof BuildEvent.StepStarted) {
                throw new StackOverflowError("a listener that recursed");
            }
        });
        BuildRecord done = finished.record();

        assertThat(done.state()).isEqualTo(BuildState.FAILED);
        assertThat(done.failure()).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo("BUILD_CRASHED");
            assertThat(f.message()).contains("StackOverflowError");
        });
        assertThat(finished.log()).extracting(LogLine::text).contains("java.lang.StackOverflowError: a listener that recursed");
        assertThat(home.resolve("workspaces")).isEmptyDirectory();
    }
}
