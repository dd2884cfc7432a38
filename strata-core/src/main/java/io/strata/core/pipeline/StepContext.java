package io.strata.core.pipeline;

import io.strata.core.build.BuildId;
import io.strata.core.build.LogLine;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.PlanStep;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * What a running step may use besides its state: its own configuration from the plan, the clock
 * and the build log. Every line passes the redactor before anyone sees it, so a credential that
 * slips into a tool's output never reaches the store or the terminal.
 */
public final class StepContext {
    private final BuildId buildId;
    private final PlanStep config;
    private final Clock clock;
    private final BuildListener events;
    private final AtomicLong logSequence;
    private final UnaryOperator<String> redactor;
    private final java.util.List<String> laterSteps;

    StepContext(BuildId buildId, PlanStep config, Clock clock, BuildListener events, AtomicLong logSequence,
            UnaryOperator<String> redactor, java.util.List<String> laterSteps) {
        this.laterSteps = java.util.List.copyOf(laterSteps);
        this.buildId = buildId;
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.logSequence = logSequence;
        this.redactor = redactor;
    }

    public BuildId buildId() {
        return buildId;
    }

    /** This step's entry in the plan: its arguments, whether it is required. */
    public PlanStep config() {
        return config;
    }

    /**
     * The names of the plan's steps after this one: a step may leave work to a later one that does
     * the same kind of work (attach_sbom's push joins attach_provenance's), and must not when it is absent.
     */
    public java.util.List<String> laterSteps() {
        return laterSteps;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Appends one line to the build log, attributed to this step. Safe to call from several threads
     * (a tool's stdout and stderr are read on two): numbering and publishing happen under one lock,
     * so listeners receive lines in the order of their sequence numbers, which the store requires.
     */
    public void log(String line) {
        String redacted = redactor.apply(line);
        synchronized (logSequence) {
            var at = clock.instant();
            var entry = new LogLine(logSequence.incrementAndGet(), at, config.name(), redacted);
            events.on(new BuildEvent.LogEmitted(buildId, at, entry));
        }
    }

    /** Publishes a typed event (source checked out, image pushed, ...). */
    public void publish(BuildEvent event) {
        events.on(event);
    }
}
