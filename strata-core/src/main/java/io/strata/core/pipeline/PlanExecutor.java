package io.strata.core.pipeline;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Runs a plan's steps in order over an immutable state, timing each and telling the listener.
 * A failing step that the plan allows to fail is recorded and skipped over; any other failure
 * stops the plan. Interruption (cancel, Ctrl-C) stops it too and is passed on.
 *
 * @param <S> the state type the steps share
 */
public final class PlanExecutor<S> {
    private final Map<String, Step<S>> steps;
    private final BuildListener events;
    private final Clock clock;
    private final UnaryOperator<String> redactor;

    public PlanExecutor(Map<String, Step<S>> steps, BuildListener events, Clock clock, UnaryOperator<String> redactor) {
        this.steps = Map.copyOf(steps);
        this.events = events;
        this.clock = clock;
        this.redactor = redactor;
    }

    /** Refuses a plan naming a step this executor cannot run, before anything has started. */
    public void checkRunnable(Plan plan) throws StrataException {
        List<String> unknown = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            if (!steps.containsKey(step.name())) {
                unknown.add(step.name());
            }
        }
        if (!unknown.isEmpty()) {
            throw new StrataException("UNKNOWN_STEP",
                    "the plan names steps this engine cannot run: " + String.join(", ", unknown),
                    "disable them in the customize document, or run the plan on an engine that has them ("
                            + String.join(", ", steps.keySet().stream().sorted().toList()) + ")");
        }
    }

    /**
     * Runs every step of the plan, starting the build log after {@code logSequenceStart}.
     *
     * @throws StepFailedException  a required step failed
     * @throws InterruptedException the build was cancelled
     */
    public S execute(BuildId buildId, Plan plan, S initial, long logSequenceStart)
            throws StrataException, InterruptedException {
        checkRunnable(plan);
        AtomicLong logSequence = new AtomicLong(logSequenceStart);
        S state = initial;
        int total = plan.steps().size();
        for (int i = 0; i < total; i++) {
            PlanStep planStep = plan.steps().get(i);
            StepContext context = new StepContext(buildId, planStep, clock, events, logSequence, redactor);
            Instant started = clock.instant();
            events.on(new BuildEvent.StepStarted(buildId, started, planStep.name(), i + 1, total));
            try {
                state = steps.get(planStep.name()).run(state, context);
                finish(buildId, planStep, started, StepOutcome.SUCCEEDED, Optional.empty());
            } catch (StrataException e) {
                if (Thread.interrupted()) {
                    // The step turned the interrupt into its own failure (a tool it ran was stopped): still a cancel.
                    finish(buildId, planStep, started, StepOutcome.CANCELLED, Optional.of("cancelled"));
                    throw new InterruptedException("cancelled during " + planStep.name());
                }
                if (planStep.allowedToFail()) {
                    context.log("step failed but is allowed to fail: " + e.getMessage() + " [" + e.reason() + "]");
                    finish(buildId, planStep, started, StepOutcome.FAILED_ALLOWED, Optional.of(e.getMessage()));
                    continue;
                }
                finish(buildId, planStep, started, StepOutcome.FAILED, Optional.of(e.getMessage()));
                throw e instanceof StepFailedException failed ? failed : new StepFailedException(planStep.name(), e);
            } catch (InterruptedException e) {
                finish(buildId, planStep, started, StepOutcome.CANCELLED, Optional.of("cancelled"));
                throw e;
            } catch (RuntimeException e) {
                finish(buildId, planStep, started, StepOutcome.FAILED, Optional.of(e.toString()));
                throw new StepFailedException(planStep.name(), new StrataException("STEP_CRASHED",
                        "step " + planStep.name() + " crashed: " + e, "this is a bug in Strata; please report it with the build log", e));
            }
        }
        return state;
    }

    private void finish(BuildId buildId, PlanStep step, Instant started, StepOutcome outcome, Optional<String> detail) {
        // The detail is a failure message, shown and stored like a log line: it passes the same redactor.
        events.on(new BuildEvent.StepFinished(buildId, clock.instant(),
                new StepTiming(step.name(), started, clock.instant(), outcome), detail.map(redactor)));
    }
}
