package io.strata.local.worker;

import io.strata.worker.LocalWorker;
import io.strata.worker.WorkerState;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.Failure;
import io.strata.core.build.LogLine;
import io.strata.core.engine.Engine;
import io.strata.core.engine.EngineRun;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.StepFailedException;
import io.strata.core.plan.Plan;
import io.strata.core.request.BuildRequest;
import io.strata.worker.emulation.PlatformEmulation;
import io.strata.worker.git.Workspace;
import io.strata.worker.process.SecretMasker;
import io.strata.registry.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The local engine: runs a worker build on this machine, in this process, on a virtual thread of
 * its own: a fresh workspace, the plan's steps over {@link WorkerState} (buildah as a subprocess),
 * the workspace removed in every case. A bug anywhere ends the build FAILED (STEP_CRASHED inside a
 * step, BUILD_CRASHED around them), never leaves it without an answer. Its workers die with the
 * process, so there is nothing to re-attach to after a restart.
 */
public final class LocalEngine implements Engine {
    /** The engine's name in {@code strata_engine}. */
    public static final String NAME = "local";

    /**
     * Failures that may pass when the build is tried again: a server that was away (the registry
     * client has retried for a while already), not a mistake in the request or the Dockerfile.
     */
    static final Set<String> TRANSIENT_REASONS = Set.of("GIT_UNREACHABLE", "REGISTRY_UNREACHABLE", "YUM_REPO_UNREACHABLE",
            "STORE_UNAVAILABLE");

    private final LocalWorker worker;
    private final PlatformEmulation emulation;
    private final Path workspaceRoot;
    private final Clock clock;
    private final PrintStream diagnostics;

    public LocalEngine(LocalWorker worker, Path workspaceRoot, Clock clock, PrintStream diagnostics) {
        this(worker, workspaceRoot, clock, diagnostics, PlatformEmulation.ofThisMachine());
    }

    public LocalEngine(LocalWorker worker, Path workspaceRoot, Clock clock, PrintStream diagnostics,
            PlatformEmulation emulation) {
        this.emulation = emulation;
        this.worker = worker;
        this.workspaceRoot = workspaceRoot;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The workspace of a build, named after it (the reconciler removes only directories named so). */
    Path workspaceOf(BuildId id) {
        return workspaceRoot.resolve(id.value());
    }

    /** The OCI platform of a Koji platform name (osbs.conf's architecture, else Strata's mapping). */
    Platform platformOf(String platform) {
        return worker.platformOf(platform);
    }

    /** Refuses, before anything is stored, a plan naming steps this worker does not have. */
    void checkRunnable(Plan plan) throws StrataException {
        worker.checkRunnable(plan);
    }

    /** Builds this machine's platform and every one it can emulate (docs/builds.md, "Multi-platform builds"). */
    @Override
    public void checkPlatform(String platform) throws StrataException {
        try {
            emulation.modeFor(worker.platformOf(platform));
        } catch (IllegalArgumentException e) {
            throw new StrataException(io.strata.core.request.ReasonCode.UNKNOWN_PLATFORM.name(),
                    "the local engine cannot build platform '" + platform + "': " + e.getMessage(),
                    "ask for one of " + Platform.kojiArches() + ", or give [platform:" + platform + "] an architecture");
        }
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) {
        // Started from the thread holding the build's lease: the worker thread inherits the lease
        // keeper, so buildah's process group reaches the lease (LeaseKeeper.GROUPS).
        return ThreadRun.start(spec.buildId(), "strata-worker-", () -> execute(spec, events));
    }

    @Override
    public void close() {
        // Workers are the callers' threads; nothing of the engine's own to close.
    }

    /** Runs the plan and always answers: a bug anywhere is BUILD_CRASHED with the trace in the log. */
    private WorkerResult execute(WorkerSpec spec, BuildListener events) {
        AtomicLong logEnd = new AtomicLong(spec.logAfter());
        BuildListener counting = event -> {
            if (event instanceof BuildEvent.LogEmitted log) {
                logEnd.accumulateAndGet(log.line().sequence(), Math::max);
            }
            events.on(event);
        };
        try {
            return executePlan(spec, counting);
        } catch (RuntimeException | Error e) {
            BuildId id = spec.buildId();
            // Exception messages may quote a URL of the request: the same masking as every log line.
            UnaryOperator<String> redactor = worker.redactor(requestSecrets(spec.request()));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            List<String> lines = new ArrayList<>();
            lines.add("the build crashed (a bug in Strata); stack trace:");
            lines.addAll(trace.toString().lines().toList());
            for (String line : lines) {
                var at = clock.instant();
                events.on(new BuildEvent.LogEmitted(id, at, new LogLine(logEnd.incrementAndGet(), at, "build",
                        redactor.apply(line))));
            }
            return WorkerResult.failed(new Failure("BUILD_CRASHED",
                    redactor.apply("the build crashed: " + e + " (the stack trace is in the build log)"),
                    "this is a bug in Strata; please report it with the build log (strata build-logs " + id + ")"), false);
        }
    }

    private WorkerResult executePlan(WorkerSpec spec, BuildListener events) {
        BuildId id = spec.buildId();
        Workspace workspace;
        try {
            workspace = Workspace.create(workspaceRoot, id.value());
        } catch (IOException e) {
            return WorkerResult.failed(new Failure("WORKSPACE_UNAVAILABLE",
                    "cannot create the build workspace under " + workspaceRoot + ": " + e.getMessage()), false);
        }
        SecretMasker masker = requestSecrets(spec.request());
        try {
            Plan plan = Plan.fromJson("build " + id, spec.planJson());
            PlanExecutor<WorkerState> executor = worker.executor(events, clock, masker);
            Platform platform = worker.platformOf(spec.platform());
            var initial = WorkerState.initial(id, spec.request(), platform, spec.orchestrator(), spec.resolved(),
                    workspace.dir(), clock.instant());
            executor.execute(id, plan, initial, spec.logAfter());
            return WorkerResult.complete();
        } catch (StepFailedException e) {
            return failed(e.reason(), masker.mask(e.step() + ": " + e.getMessage()), masker.mask(e.hint()));
        } catch (InterruptedException e) {
            // The interrupt is consumed here: the worker is over and CANCELLED is its answer.
            return WorkerResult.cancelled();
        } catch (StrataException e) {
            return failed(e.reason(), masker.mask(e.getMessage()), masker.mask(e.hint()));
        } finally {
            worker.buildEnded(id);
            removeWorkspace(workspace);
        }
    }

    private static WorkerResult failed(String reason, String message, String hint) {
        return WorkerResult.failed(new Failure(reason, message, hint), TRANSIENT_REASONS.contains(reason));
    }

    /**
     * The secrets written into the request's URLs (git URI, repo URLs): masked in this build's log
     * lines and failure message wherever they show up, even outside a URL (a RUN step echoing one).
     */
    static SecretMasker requestSecrets(BuildRequest request) {
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
}
