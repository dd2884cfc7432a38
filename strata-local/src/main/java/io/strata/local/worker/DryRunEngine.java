package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dry-run engine ({@code strata_engine = dry-run}): walks a build through every state and every
 * step of its plan without building anything, spending {@code delay} RUNNING in all, one log line
 * per step. For load tests of the queue, the scheduler and the API; it needs no registry, buildah
 * or git. Cancel ends it CANCELLED at once.
 */
public final class DryRunEngine implements Engine {
    /** The engine's name in {@code strata_engine}. */
    public static final String NAME = "dry-run";

    private final Duration delay;
    private final Clock clock;
    private final ParsedPlans plans = new ParsedPlans();

    public DryRunEngine(Duration delay, Clock clock) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        this.delay = delay;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) throws StrataException {
        // Read before anything runs: a plan that does not read is the caller's failure, at once.
        Plan plan = plans.read(spec.buildId(), spec.planJson());
        return ThreadRun.start(spec.buildId(), "strata-dry-run-", () -> walk(spec, plan.steps(), events));
    }

    private WorkerResult walk(WorkerSpec spec, List<PlanStep> steps, BuildListener events) {
        BuildId id = spec.buildId();
        long sequence = spec.logAfter();
        // At least one slice, so a plan without steps still spends the delay.
        Duration slice = delay.dividedBy(Math.max(1, steps.size()));
        try {
            if (steps.isEmpty()) {
                Thread.sleep(delay);
            }
            for (int i = 0; i < steps.size(); i++) {
                String step = steps.get(i).name();
                Instant started = clock.instant();
                events.on(new BuildEvent.StepStarted(id, started, step, i + 1, steps.size()));
                events.on(new BuildEvent.LogEmitted(id, started, new LogLine(++sequence, started, step,
                        "dry run: " + step + " (attempt " + spec.attempt() + ", nothing is built)")));
                if (!slice.isZero()) {
                    // No sleep at all for a zero delay: even sleep(0) yields, and under load a yield
                    // costs a trip through the scheduler per step.
                    Thread.sleep(slice);
                } else if (Thread.currentThread().isInterrupted()) {
                    return WorkerResult.cancelled();
                }
                events.on(new BuildEvent.StepFinished(id, clock.instant(),
                        new StepTiming(step, started, clock.instant(), StepOutcome.SUCCEEDED), Optional.empty()));
            }
            return WorkerResult.complete();
        } catch (InterruptedException e) {
            return WorkerResult.cancelled();
        }
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
