package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.config.Configuration;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.event.EventBus;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.StepFailedException;
import io.strata.core.plan.Plan;
import io.strata.core.request.BuildRequest;
import io.strata.core.request.BuildRequestValidator;
import io.strata.core.store.BuildStore;
import io.strata.core.store.StoreException;
import io.strata.local.git.Workspace;
import io.strata.local.process.SecretMasker;
import io.strata.local.registry.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Builds on this machine: validates and stores a request, then runs its plan through the local
 * worker steps, recording everything, and always removes the workspace. A user mistake or a failed
 * step ends the build FAILED with the step's reason code; an interrupt (Ctrl-C, cancel) ends it
 * CANCELLED. Nothing is stored for a request that does not validate.
 */
public final class LocalBuildService {
    private final BuildStore store;
    private final LocalWorker worker;
    private final Path workspaceRoot;
    private final Clock clock;
    private final PrintStream diagnostics;

    public LocalBuildService(BuildStore store, LocalWorker worker, Path workspaceRoot, Clock clock, PrintStream diagnostics) {
        this.store = store;
        this.worker = worker;
        this.workspaceRoot = workspaceRoot;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    /**
     * Validates the request against the configuration and stores it as a NEW build with its plan.
     * Request and configuration are stored without credentials.
     */
    public SubmittedBuild submit(BuildRequest given, Configuration config, Plan plan) throws StrataException {
        BuildRequestValidator.requireValid(given, config);
        // The record says which network policy the build gets, also when the request left it to the configuration.
        BuildRequest request = given.withNetworkPolicyOr(io.strata.core.request.NetworkPolicy.byName(config.buildNetwork())
                .orElse(io.strata.core.request.NetworkPolicy.NONE));
        worker.checkRunnable(plan);
        return new SubmittedBuild(store.create(request.withoutCredentials(), config.redacted(), plan.toJson()), request);
    }

    /**
     * Runs a submitted (stored, NEW) build to its end, telling {@code view} everything that happens.
     *
     * @return the final record (COMPLETE, FAILED or CANCELLED)
     */
    public BuildRecord run(SubmittedBuild submitted, BuildListener view) throws StoreException {
        BuildId id = submitted.record().id();
        EventBus bus = new EventBus((listener, event, error) ->
                diagnostics.println("strata: warning: a build listener failed: " + error));
        bus.subscribe(view);
        Outcome outcome;
        // The lease says this process runs the build (docs/store.md, Leases); it is taken before
        // RUNNING, so no running build is without one, and renewed until the build is over.
        LeaseKeeper lease = LeaseKeeper.take(store, id, workspaceRoot.resolve(id.value()), diagnostics);
        try {
            moveTo(bus, id, BuildState.RUNNING, Optional.empty());
            // The recorder is closed (everything written) before the final state is: whoever sees the
            // build finished in the store also sees all of its log, timings and outputs.
            try (StoreRecorder recorder = new StoreRecorder(store, diagnostics)) {
                bus.subscribe(recorder);
                outcome = execute(submitted, bus);
            }
        } finally {
            lease.close();
        }
        return finish(bus, id, outcome, lease);
    }

    /**
     * Stores the outcome, unless another process already ended the build (it found this process
     * gone, e.g. after a long suspend): its record stands. A cancel request that arrived after the
     * build was over must not disturb storing its result, so the interrupt it caused is cleared.
     */
    private BuildRecord finish(EventBus bus, BuildId id, Outcome outcome, LeaseKeeper lease) throws StoreException {
        if (lease.cancelRequested() && outcome.state() != BuildState.CANCELLED) {
            Thread.interrupted();
        }
        if (!lease.lost()) {
            moveTo(bus, id, outcome.state(), outcome.failure());
        }
        return store.find(id).orElseThrow();
    }

    private record Outcome(BuildState state, Optional<Failure> failure) {}

    /** The sequence number of the last log line published, so lines written outside the steps continue it. */
    private static final class LogEnd implements BuildListener {
        private final AtomicLong last = new AtomicLong();

        @Override
        public void on(BuildEvent event) {
            if (event instanceof BuildEvent.LogEmitted log) {
                last.accumulateAndGet(log.line().sequence(), Math::max);
            }
        }
    }

    /**
     * Runs the plan and always answers with an outcome: a bug anywhere (not only inside a step,
     * where the executor reports it as STEP_CRASHED) ends the build FAILED with BUILD_CRASHED and
     * the stack trace in the build log, never leaves it RUNNING.
     */
    private Outcome execute(SubmittedBuild build, EventBus bus) {
        LogEnd logEnd = new LogEnd();
        bus.subscribe(logEnd);
        try {
            return executePlan(build, bus);
        } catch (RuntimeException | Error e) {
            BuildId id = build.record().id();
            // Exception messages may quote a URL of the request: the same masking as every log line.
            UnaryOperator<String> redactor = worker.redactor(requestSecrets(build.request()));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            List<String> lines = new ArrayList<>();
            lines.add("the build crashed (a bug in Strata); stack trace:");
            lines.addAll(trace.toString().lines().toList());
            for (String line : lines) {
                var at = clock.instant();
                bus.on(new BuildEvent.LogEmitted(id, at, new LogLine(logEnd.last.incrementAndGet(), at, "build",
                        redactor.apply(line))));
            }
            return new Outcome(BuildState.FAILED, Optional.of(new Failure("BUILD_CRASHED",
                    redactor.apply("the build crashed: " + e + " (the stack trace is in the build log)"),
                    "this is a bug in Strata; please report it with the build log (strata build-logs " + id + ")")));
        }
    }

    private Outcome executePlan(SubmittedBuild build, EventBus bus) {
        BuildId id = build.record().id();
        Workspace workspace;
        try {
            workspace = Workspace.create(workspaceRoot, id.value());
        } catch (IOException e) {
            return new Outcome(BuildState.FAILED, Optional.of(new Failure("WORKSPACE_UNAVAILABLE",
                    "cannot create the build workspace under " + workspaceRoot + ": " + e.getMessage())));
        }
        try {
            Plan plan = Plan.fromJson("build " + id, build.record().planJson());
            PlanExecutor<WorkerState> executor = worker.executor(bus, clock, requestSecrets(build.request()));
            var initial = WorkerState.initial(id, build.request(), Platform.current(), workspace.dir(), clock.instant());
            executor.execute(id, plan, initial, 0);
            return new Outcome(BuildState.COMPLETE, Optional.empty());
        } catch (StepFailedException e) {
            SecretMasker masker = requestSecrets(build.request());
            return new Outcome(BuildState.FAILED, Optional.of(new Failure(e.reason(),
                    masker.mask(e.step() + ": " + e.getMessage()), masker.mask(e.hint()))));
        } catch (InterruptedException e) {
            // The interrupt is consumed here: the build is over and CANCELLED is its answer.
            return new Outcome(BuildState.CANCELLED, Optional.empty());
        } catch (StrataException e) {
            SecretMasker masker = requestSecrets(build.request());
            return new Outcome(BuildState.FAILED, Optional.of(new Failure(e.reason(), masker.mask(e.getMessage()),
                    masker.mask(e.hint()))));
        } finally {
            removeWorkspace(workspace);
        }
    }

    /**
     * The secrets written into the request's URLs (git URI, repo URLs): masked in this build's log
     * lines and failure message wherever they show up, even outside a URL (a RUN step echoing one).
     */
    private static SecretMasker requestSecrets(BuildRequest request) {
        List<String> urls = new ArrayList<>(request.yumRepoUrls());
        Optional.ofNullable(request.gitUri()).ifPresent(urls::add);
        return SecretMasker.forUrls(urls);
    }

    /** Runs in every case; a leftover workspace is reported, not fatal: the build's outcome stands. */
    private void removeWorkspace(Workspace workspace) {
        try {
            workspace.close();
        } catch (IOException | java.io.UncheckedIOException e) {
            diagnostics.println("strata: warning: could not remove the workspace " + workspace.dir() + ": " + e.getMessage()
                    + "; delete it by hand");
        }
    }

    private void moveTo(BuildListener bus, BuildId id, BuildState state, Optional<Failure> failure) throws StoreException {
        store.transition(id, state, failure);
        bus.on(new BuildEvent.StateChanged(id, clock.instant(), state, failure));
    }
}
