package io.strata.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.StepOutcome;
import io.strata.core.event.BuildEvent;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepCatalog;
import io.strata.core.plan.StepPhase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {
    static final BuildId ID = new BuildId("20261122-000000-abcdef");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    final List<BuildEvent> events = new ArrayList<>();

    static PlanStep step(String name, boolean allowedToFail) {
        return new PlanStep(name, StepPhase.PREBUILD, !allowedToFail, allowedToFail, Map.of());
    }

    static Plan plan(PlanStep... steps) {
        return new Plan("worker", 6, List.of(steps));
    }

    PlanExecutor<String> executor(Map<String, Step<String>> steps) {
        return new PlanExecutor<>(steps, events::add, CLOCK, line -> line.replace("secret", "****"));
    }

    List<String> outcomes() {
        return events.stream().filter(e -> e instanceof BuildEvent.StepFinished)
                .map(e -> ((BuildEvent.StepFinished) e).timing())
                .map(t -> t.step() + "=" + t.outcome()).toList();
    }

    @Test
    void runsStepsInPlanOrderThreadingTheState() throws Exception {
        var result = executor(Map.of("a", (s, c) -> s + "a", "b", (s, c) -> s + "b"))
                .execute(ID, plan(step("b", false), step("a", false)), ">", 0);
        assertThat(result).isEqualTo(">ba");
        assertThat(outcomes()).containsExactly("b=SUCCEEDED", "a=SUCCEEDED");
        assertThat(events.get(0)).isEqualTo(new BuildEvent.StepStarted(ID, CLOCK.instant(), "b", 1, 2));
    }

    /** attach_sbom leaves its push to attach_provenance only when the plan runs that step after it. */
    @Test
    void aStepSeesTheNamesOfThePlansLaterSteps() throws Exception {
        var result = executor(Map.of("a", (s, c) -> s + c.laterSteps(), "b", (s, c) -> s + c.laterSteps()))
                .execute(ID, plan(step("a", false), step("b", false)), "", 0);
        assertThat(result).isEqualTo("[b][]");
    }

    @Test
    void logLinesAreNumberedAttributedAndRedacted() throws Exception {
        executor(Map.of("a", (s, c) -> {
            c.log("token secret here");
            c.log("second");
            return s;
        })).execute(ID, plan(step("a", false)), "", 41);
        var lines = events.stream().filter(e -> e instanceof BuildEvent.LogEmitted).map(e -> ((BuildEvent.LogEmitted) e).line()).toList();
        assertThat(lines).extracting(l -> l.sequence() + ":" + l.step() + ":" + l.text())
                .containsExactly("42:a:token **** here", "43:a:second");
    }

    /** A failure's detail is shown and stored like a log line, so it is redacted like one. */
    @Test
    void theDetailOfAFailedStepIsRedacted() {
        assertThatThrownBy(() -> executor(Map.of("a", (s, c) -> {
            throw new StrataException("X_FAILED", "fetching with secret failed", "");
        })).execute(ID, plan(step("a", false)), "", 0)).isInstanceOf(StrataException.class);

        assertThat(events.stream().filter(e -> e instanceof BuildEvent.StepFinished)
                .map(e -> ((BuildEvent.StepFinished) e).detail().orElseThrow()))
                .containsExactly("fetching with **** failed");
    }

    @Test
    void linesLoggedFromSeveralThreadsArriveInSequenceOrder() throws Exception {
        List<Long> received = java.util.Collections.synchronizedList(new ArrayList<>());
        var executor = new PlanExecutor<String>(Map.of("a", (s, c) -> {
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 8; t++) {
                    threads.submit(() -> {
                        for (int i = 0; i < 500; i++) {
                            c.log("line " + i);
                        }
                    });
                }
            }
            return s;
        }), event -> {
            if (event instanceof BuildEvent.LogEmitted log) {
                received.add(log.line().sequence());
            }
        }, CLOCK, line -> line);
        executor.execute(ID, plan(step("a", false)), "", 0);
        assertThat(received).hasSize(4000).isSorted().startsWith(1L).endsWith(4000L);
    }

    @Test
    void aRequiredStepFailureStopsThePlanKeepingItsReason() {
        Step<String> fails = (s, c) -> {
            throw new StrataException("BOOM", "it broke", "fix it");
        };
        assertThatThrownBy(() -> executor(Map.of("a", fails, "b", (s, c) -> s + "b"))
                .execute(ID, plan(step("a", false), step("b", false)), "", 0))
                .isInstanceOfSatisfying(StepFailedException.class, e -> {
                    assertThat(e.step()).isEqualTo("a");
                    assertThat(e.reason()).isEqualTo("BOOM");
                    assertThat(e.hint()).isEqualTo("fix it");
                });
        assertThat(outcomes()).containsExactly("a=" + StepOutcome.FAILED);
    }

    @Test
    void aStepAllowedToFailIsRecordedAndSkippedOver() throws Exception {
        Step<String> fails = (s, c) -> {
            throw new StrataException("BOOM", "it broke", "");
        };
        var result = executor(Map.of("a", fails, "b", (s, c) -> s + "b"))
                .execute(ID, plan(step("a", true), step("b", false)), "", 0);
        assertThat(result).isEqualTo("b");
        assertThat(outcomes()).containsExactly("a=FAILED_ALLOWED", "b=SUCCEEDED");
    }

    @Test
    void interruptionCancelsTheRunningStep() {
        Step<String> interrupted = (s, c) -> {
            throw new InterruptedException();
        };
        assertThatThrownBy(() -> executor(Map.of("a", interrupted)).execute(ID, plan(step("a", false)), "", 0))
                .isInstanceOf(InterruptedException.class);
        assertThat(outcomes()).containsExactly("a=CANCELLED");
    }

    @Test
    void aFailureCausedByAnInterruptIsACancelNotAFailure() {
        Step<String> stoppedTool = (s, c) -> {
            Thread.currentThread().interrupt();
            throw new StrataException("TOOL_STOPPED", "the tool was stopped", "");
        };
        assertThatThrownBy(() -> executor(Map.of("a", stoppedTool)).execute(ID, plan(step("a", false)), "", 0))
                .isInstanceOf(InterruptedException.class);
        assertThat(outcomes()).containsExactly("a=CANCELLED");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCrashIsReportedAsABugNotSwallowed() {
        Step<String> crashes = (s, c) -> {
            throw new IllegalStateException("oops");
        };
        assertThatThrownBy(() -> executor(Map.of("a", crashes)).execute(ID, plan(step("a", false)), "", 0))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.reason()).isEqualTo("STEP_CRASHED"));
    }

    @Test
    void aPlanNamingUnknownStepsIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> executor(Map.of("a", (s, c) -> s)).execute(ID, plan(step("a", false), step("zzz", false)), "", 0))
                .isInstanceOfSatisfying(StrataException.class, e -> {
                    assertThat(e.reason()).isEqualTo("UNKNOWN_STEP");
                    assertThat(e.getMessage()).contains("zzz");
                });
        assertThat(events).isEmpty();
    }

    List<String> logText() {
        return events.stream().filter(e -> e instanceof BuildEvent.LogEmitted)
                .map(e -> ((BuildEvent.LogEmitted) e).line().text()).toList();
    }

    static PlanStep catalogStep(String name, boolean allowedToFail) {
        return new PlanStep(name, StepCatalog.standard().step(name).orElseThrow().phase(), !allowedToFail, allowedToFail, Map.of());
    }

    @Test
    void aStepWhoseInputAnAllowedFailureDidNotProvideIsSkippedWithItsReason() throws Exception {
        Step<String> pushFails = (s, c) -> {
            throw new StrataException("REGISTRY_UNREACHABLE", "no registry", "");
        };
        Step<String> mustNotRun = (s, c) -> {
            throw new IllegalStateException("ran without the pushed image");
        };
        var result = executor(Map.of("tag_and_push", pushFails, "gather_image_content", mustNotRun,
                "export_koji_metadata", mustNotRun))
                .execute(ID, plan(catalogStep("tag_and_push", true), catalogStep("gather_image_content", true),
                        catalogStep("export_koji_metadata", true)), "s", 0);

        assertThat(result).isEqualTo("s");
        assertThat(outcomes()).containsExactly("tag_and_push=FAILED_ALLOWED", "gather_image_content=SKIPPED",
                "export_koji_metadata=SKIPPED");
        assertThat(logText()).contains(
                "skipped: it needs the pushed image; tag_and_push did not provide it (it failed)")
                .noneMatch(line -> line.contains("crashed"));
        var details = events.stream().filter(e -> e instanceof BuildEvent.StepFinished)
                .map(e -> ((BuildEvent.StepFinished) e).detail().orElse("")).toList();
        assertThat(details.get(1)).contains("tag_and_push did not provide it");
    }

    @Test
    void aStepThatOnlyUsesAMissingArtifactStillRuns() throws Exception {
        Step<String> gatherFails = (s, c) -> {
            throw new StrataException("BUILDAH_FAILED", "rpm -qa failed", "");
        };
        var result = executor(Map.of("tag_and_push", (s, c) -> s + "pushed ", "gather_image_content", gatherFails,
                "export_koji_metadata", (s, c) -> s + "exported"))
                .execute(ID, new Plan("worker", 6, List.of(catalogStep("tag_and_push", false),
                        catalogStep("gather_image_content", true), catalogStep("export_koji_metadata", true))), "", 0);

        assertThat(result).isEqualTo("pushed exported");
        assertThat(outcomes()).containsExactly("tag_and_push=SUCCEEDED", "gather_image_content=FAILED_ALLOWED",
                "export_koji_metadata=SUCCEEDED");
    }

    @Test
    void aRequiredStepWithoutItsInputEndsTheBuildWithAReason() {
        Step<String> pushFails = (s, c) -> {
            throw new StrataException("REGISTRY_UNREACHABLE", "no registry", "");
        };
        assertThatThrownBy(() -> executor(Map.of("tag_and_push", pushFails, "gather_image_content", (s, c) -> s))
                .execute(ID, plan(catalogStep("tag_and_push", true), catalogStep("gather_image_content", false)), "", 0))
                .isInstanceOfSatisfying(StepFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("STEP_INPUT_MISSING");
                    assertThat(e.step()).isEqualTo("gather_image_content");
                });
        assertThat(outcomes()).containsExactly("tag_and_push=FAILED_ALLOWED", "gather_image_content=SKIPPED");
    }

    @Test
    void aCrashPutsTheStackTraceInTheLogAndAsksForItInTheReport() {
        Step<String> crashes = (s, c) -> {
            throw new IllegalStateException("oops");
        };
        assertThatThrownBy(() -> executor(Map.of("a", crashes)).execute(ID, plan(step("a", false)), "", 0))
                .isInstanceOfSatisfying(StepFailedException.class, e -> {
                    assertThat(e.getMessage()).contains("oops").contains("stack trace is in the build log");
                    assertThat(e.hint()).contains("report it with the build log").contains(ID.value());
                });
        assertThat(logText()).contains("java.lang.IllegalStateException: oops")
                .anyMatch(line -> line.strip().startsWith("at io.strata.core.pipeline.PlanExecutorTest"));
        assertThat(outcomes()).containsExactly("a=FAILED");
    }

    @Test
    void anErrorThrownByAStepEndsThePlanLikeAnyCrash() {
        Step<String> asserts = (s, c) -> {
            throw new AssertionError("impossible state");
        };
        assertThatThrownBy(() -> executor(Map.of("a", asserts, "b", (s, c) -> s)).execute(ID, plan(step("a", false), step("b", false)), "", 0))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.reason()).isEqualTo("STEP_CRASHED"));
        assertThat(outcomes()).containsExactly("a=FAILED");
    }

    @Test
    void aCrashInAStepAllowedToFailLetsTheBuildGoOn() throws Exception {
        Step<String> crashes = (s, c) -> {
            throw new NullPointerException("no value");
        };
        var result = executor(Map.of("a", (s, c) -> s + "a", "b", crashes)).execute(ID, plan(step("a", false), step("b", true)), "", 0);
        assertThat(result).isEqualTo("a");
        assertThat(outcomes()).containsExactly("a=SUCCEEDED", "b=FAILED_ALLOWED");
        assertThat(logText()).contains("java.lang.NullPointerException: no value");
    }
}
