package io.strata.core.pipeline;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.Artifact;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Runs a plan's steps in order over an immutable state, timing each and telling the listener.
 * A failing step that the plan allows to fail is recorded and the plan goes on; any other failure
 * stops it. A step whose needed {@link Artifact} an earlier step did not provide (because that step
 * failed and was allowed to) is skipped, with the reason in its outcome and the log. Interruption
 * (cancel, Ctrl-C) stops the plan and is passed on. A step that throws anything unexpected ends as
 * {@code STEP_CRASHED} with its stack trace in the build log: the build always ends.
 *
 * @param <S> the state type the steps share
 */
public final class PlanExecutor<S> {
    private final Map<String, Step<S>> steps;
    private final StepCatalog catalog;
    private final BuildListener events;
    private final Clock clock;
    private final UnaryOperator<String> redactor;

    public PlanExecutor(Map<String, Step<S>> steps, BuildListener events, Clock clock, UnaryOperator<String> redactor) {
        this(steps, StepCatalog.standard(), events, clock, redactor);
    }

    /** With the catalogue that says what each step needs and provides. */
    public PlanExecutor(Map<String, Step<S>> steps, StepCatalog catalog, BuildListener events, Clock clock,
            UnaryOperator<String> redactor) {
        this.steps = Map.copyOf(steps);
        this.catalog = catalog;
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
     * @throws StepFailedException  a required step failed, crashed or could not run
     * @throws InterruptedException the build was cancelled
     */
    public S execute(BuildId buildId, Plan plan, S initial, long logSequenceStart)
            throws StrataException, InterruptedException {
        checkRunnable(plan);
        AtomicLong logSequence = new AtomicLong(logSequenceStart);
        Availability available = new Availability(plan, catalog);
        S state = initial;
        int total = plan.steps().size();
        for (int i = 0; i < total; i++) {
            PlanStep planStep = plan.steps().get(i);
            StepContext context = new StepContext(buildId, planStep, clock, events, logSequence, redactor,
                    plan.steps().subList(i + 1, total).stream().map(PlanStep::name).toList());
            StepCatalog.Contract contract = catalog.contract(planStep.name());
            Instant started = clock.instant();
            events.on(new BuildEvent.StepStarted(buildId, started, planStep.name(), i + 1, total));
            Optional<String> missing = available.missing(contract);
            if (missing.isPresent()) {
                skip(buildId, planStep, started, context, missing.get());
                available.notProvided(contract, planStep.name(), "was skipped");
                continue;
            }
            try {
                state = steps.get(planStep.name()).run(state, context);
                finish(buildId, planStep, started, StepOutcome.SUCCEEDED, Optional.empty());
                available.provided(contract);
            } catch (StrataException e) {
                if (Thread.interrupted()) {
                    // The step turned the interrupt into its own failure (a tool it ran was stopped): still a cancel.
                    finish(buildId, planStep, started, StepOutcome.CANCELLED, Optional.of("cancelled"));
                    throw new InterruptedException("cancelled during " + planStep.name());
                }
                failed(buildId, planStep, started, context, e);
                available.notProvided(contract, planStep.name(), "failed");
            } catch (InterruptedException e) {
                finish(buildId, planStep, started, StepOutcome.CANCELLED, Optional.of("cancelled"));
                throw e;
            } catch (RuntimeException | Error e) {
                // A bug, not a build failure: keep the whole trace where the user is asked to look.
                failed(buildId, planStep, started, context, crashed(buildId, planStep, context, e));
                available.notProvided(contract, planStep.name(), "crashed");
            }
        }
        return state;
    }

    /** Records a failed step; throws unless the plan allows it to fail. */
    private void failed(BuildId buildId, PlanStep planStep, Instant started, StepContext context, StrataException e)
            throws StepFailedException {
        if (planStep.allowedToFail()) {
            context.log("step failed but is allowed to fail: " + e.getMessage() + " [" + e.reason() + "]");
            finish(buildId, planStep, started, StepOutcome.FAILED_ALLOWED, Optional.of(e.getMessage()));
            return;
        }
        finish(buildId, planStep, started, StepOutcome.FAILED, Optional.of(e.getMessage()));
        throw e instanceof StepFailedException stepFailed ? stepFailed : new StepFailedException(planStep.name(), e);
    }

    private void skip(BuildId buildId, PlanStep planStep, Instant started, StepContext context, String why)
            throws StepFailedException {
        context.log("skipped: " + why);
        finish(buildId, planStep, started, StepOutcome.SKIPPED, Optional.of(why));
        if (!planStep.allowedToFail()) {
            // PlanChain refuses such plans; a plan from elsewhere still ends the build with a reason.
            throw new StepFailedException(planStep.name(), new StrataException("STEP_INPUT_MISSING",
                    "step " + planStep.name() + " could not run: " + why,
                    "fix the earlier failure shown in the build log, or allow " + planStep.name() + " to fail in the plan"));
        }
    }

    private static StrataException crashed(BuildId buildId, PlanStep planStep, StepContext context, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        context.log("step " + planStep.name() + " crashed (a bug in Strata); stack trace:");
        trace.toString().lines().forEach(context::log);
        return new StrataException("STEP_CRASHED", "step " + planStep.name() + " crashed: " + e
                + " (the stack trace is in the build log)",
                "this is a bug in Strata; please report it with the build log (strata build-logs " + buildId + ")", e);
    }

    private void finish(BuildId buildId, PlanStep step, Instant started, StepOutcome outcome, Optional<String> detail) {
        // The detail is a failure message, shown and stored like a log line: it passes the same redactor.
        events.on(new BuildEvent.StepFinished(buildId, clock.instant(),
                new StepTiming(step.name(), started, clock.instant(), outcome), detail.map(redactor)));
    }

    /**
     * Which artifacts the steps so far provided, and for the others why not. Only what a step of
     * this plan provides is tracked; anything else is the initial state's business.
     */
    private static final class Availability {
        private final Set<Artifact> tracked = EnumSet.noneOf(Artifact.class);
        private final Set<Artifact> provided = EnumSet.noneOf(Artifact.class);
        private final Map<Artifact, String> whyNot = new EnumMap<>(Artifact.class);

        Availability(Plan plan, StepCatalog catalog) {
            plan.steps().forEach(step -> tracked.addAll(catalog.contract(step.name()).provides()));
        }

        void provided(StepCatalog.Contract contract) {
            provided.addAll(contract.provides());
        }

        void notProvided(StepCatalog.Contract contract, String step, String what) {
            contract.provides().forEach(artifact -> whyNot.putIfAbsent(artifact, step + " did not provide it (it " + what + ")"));
        }

        /** Why a step with this contract cannot run, if it cannot. */
        Optional<String> missing(StepCatalog.Contract contract) {
            return contract.needs().stream()
                    .filter(artifact -> tracked.contains(artifact) && !provided.contains(artifact))
                    .sorted()
                    .findFirst()
                    .map(artifact -> "it needs " + artifact.description() + "; "
                            + whyNot.getOrDefault(artifact, "no earlier step provides it"));
        }
    }
}
