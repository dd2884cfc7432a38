package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.engine.WorkerResult;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.event.BuildEvent;
import io.strata.core.event.BuildListener;
import io.strata.core.plan.Plan;
import io.strata.core.store.BuildStore;
import io.strata.registry.Platform;
import io.strata.worker.IndexPublisher;
import io.strata.worker.KojiMetadataJoin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One run of a multi-platform (orchestrator) build, as OSBS's orchestrator does it:
 * <ol>
 * <li>orchestrate_build: one worker build per platform, each a build of its own in the store (its
 *     parent named, its own lease, state, steps, log and outputs), placed by {@link PlatformPlacement}
 *     and run in parallel ({@link PlatformWorker}); when one fails the others still finish;</li>
 * <li>group_manifests: when every platform completed, their images joined into one image index
 *     pushed under the build's unique, primary and floating tags ({@link IndexPublisher});</li>
 * <li>export_koji_metadata: the workers' Koji metadata joined, one output per platform.</li>
 * </ol>
 * A failed platform fails the build with every failed platform's reason in its message; then no
 * index and no tag of the build is pushed (the workers pushed their platform-suffixed tags only).
 */
final class Orchestration {
    /** The reason of a multi-platform build one or more of whose platforms failed. */
    static final String PLATFORMS_FAILED = "PLATFORMS_FAILED";
    private static final List<String> STEPS = List.of("orchestrate_build", "group_manifests", "export_koji_metadata");

    /**
     * What every orchestration uses.
     *
     * @param publisher      pushes the index; empty for the dry-run engine, which pushes nothing
     * @param platforms      the OCI platform of a Koji platform name (osbs.conf's architecture)
     * @param workerTimeout  how long one platform's worker may run
     * @param dockerList     {@code group_manifests}: a docker manifest list instead of an OCI index
     */
    record Parts(BuildStore store, Optional<IndexPublisher> publisher, Function<String, Platform> platforms,
            Path workspaceRoot, Duration workerTimeout, boolean dockerList, Clock clock, PrintStream diagnostics) {}

    private final Parts parts;
    private final PlatformPlacement placement;
    private final WorkerSpec spec;
    private final BuildListener events;
    private final AtomicLong logEnd;
    private final BooleanSupplier leaving;

    /** {@code leaving}: whether an interrupt means the service stops (the workers detach) rather than a cancel. */
    Orchestration(Parts parts, PlatformPlacement placement, WorkerSpec spec, BuildListener events, BooleanSupplier leaving) {
        this.parts = parts;
        this.leaving = leaving;
        this.placement = placement;
        this.spec = spec;
        this.events = events;
        this.logEnd = new AtomicLong(spec.logAfter());
    }

    /** Always answers: a failure is FAILED with its reason, a bug BUILD_CRASHED with the trace in the log. */
    WorkerResult run() {
        try {
            return orchestrate();
        } catch (StrataException e) {
            log("build", e.getMessage() + " [" + e.reason() + "]");
            return WorkerResult.failed(new Failure(e.reason(), e.getMessage(), e.hint()),
                    LocalEngine.TRANSIENT_REASONS.contains(e.reason()));
        } catch (RuntimeException e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            log("build", "the orchestration crashed (a bug in Strata); stack trace:");
            trace.toString().lines().forEach(line -> log("build", line));
            return WorkerResult.failed(new Failure("BUILD_CRASHED", "the build crashed: " + e
                    + " (the stack trace is in the build log)", "this is a bug in Strata; please report it with the build"
                    + " log (strata build-logs " + spec.buildId() + ")"), false);
        }
    }

    private WorkerResult orchestrate() throws StrataException {
        BuildId id = spec.buildId();
        BuildRecord parent = parts.store().find(id).orElseThrow();
        List<String> platforms = spec.request().platforms();
        Instant started = begin(0);
        log(STEPS.get(0), "building " + platforms.size() + " platforms in parallel: " + String.join(", ", platforms));
        List<PlatformWorker.Outcome> outcomes = PlatformWorker.runAll(parts, placement, parent, spec, leaving,
                outcome -> log(STEPS.get(0), describe(outcome)));
        if (outcomes == null) {
            end(0, started, StepOutcome.CANCELLED, Optional.of("cancelled"));
            return WorkerResult.cancelled();
        }
        List<PlatformWorker.Outcome> failed = outcomes.stream().filter(o -> o.result().state() != BuildState.COMPLETE)
                .toList();
        if (!failed.isEmpty()) {
            Failure failure = failure(id, outcomes, failed);
            end(0, started, StepOutcome.FAILED, Optional.of(failure.message()));
            log(STEPS.get(0), "no image index and none of the build's tags pushed; the completed platforms' images"
                    + " stay under their platform-suffixed unique tags");
            boolean allTransient = failed.stream().allMatch(o -> o.result().transientFailure());
            return WorkerResult.failed(failure, allTransient);
        }
        end(0, started, StepOutcome.SUCCEEDED, Optional.empty());
        List<BuildRecord> workers = new ArrayList<>();
        for (PlatformWorker.Outcome outcome : outcomes) {
            workers.add(parts.store().find(outcome.workerId()).orElseThrow());
        }
        return join(parent, workers);
    }

    /** group_manifests and export_koji_metadata over the completed workers. */
    private WorkerResult join(BuildRecord parent, List<BuildRecord> workers) throws StrataException {
        Instant started = begin(1);
        if (parts.publisher().isEmpty()) {
            log(STEPS.get(1), "this engine pushes nothing (dry run): no image index");
            end(1, started, StepOutcome.SKIPPED, Optional.empty());
            return WorkerResult.complete();
        }
        ImageOutput index;
        try {
            List<IndexPublisher.PlatformImage> images = new ArrayList<>();
            for (BuildRecord worker : workers) {
                ImageOutput output = worker.outputs().getFirst();
                images.add(new IndexPublisher.PlatformImage(parts.platforms().apply(output.platform()), output));
            }
            List<String> floating = Plan.fromJson("build " + parent.id(), parent.planJson()).step("tag_and_push")
                    .map(step -> step.stringListArg("floating_tags")).orElse(List.of());
            var labels = images.getFirst().output().labels();
            List<String> tags = io.strata.worker.TagPolicy.tagsFor(spec.request(), io.strata.worker.TagPolicy.indexTag(parent.id()),
                    IndexPublisher.label(labels, false), IndexPublisher.label(labels, true), floating);
            index = parts.publisher().get().publish(images, tags, parts.dockerList(), line -> log(STEPS.get(1), line));
            // Recorded now: if attaching its documents fails, the record still says the index is in the registry.
            events.on(new BuildEvent.ImagePushed(parent.id(), parts.clock().instant(), index));
            // The index's own SBOM and provenance (docs/supply-chain.md), as each platform image has.
            index = parts.publisher().get().attest(index, images, new io.strata.worker.IndexAttestations.Origin(parent.id(),
                    spec.request(), startedAt(parent)), line -> log(STEPS.get(1), line));
        } catch (StrataException e) {
            end(1, started, StepOutcome.FAILED, Optional.of(e.getMessage()));
            throw e;
        }
        events.on(new BuildEvent.ImagePushed(parent.id(), parts.clock().instant(), index));
        end(1, started, StepOutcome.SUCCEEDED, Optional.empty());

        Instant metadataStarted = begin(2);
        List<String> documents = workers.stream().map(w -> w.kojiMetadata()).flatMap(Optional::stream).toList();
        if (documents.size() == workers.size()) {
            String joined = KojiMetadataJoin.join(parent.id().value(), documents, index);
            events.on(new BuildEvent.MetadataExported(parent.id(), parts.clock().instant(), joined));
            log(STEPS.get(2), "Koji metadata: " + documents.size() + " outputs, one per platform, index " + index.pullspec());
            end(2, metadataStarted, StepOutcome.SUCCEEDED, Optional.empty());
        } else {
            log(STEPS.get(2), "a platform exported no Koji metadata (its plan has no export_koji_metadata): none joined");
            end(2, metadataStarted, StepOutcome.SKIPPED, Optional.empty());
        }
        return WorkerResult.complete();
    }

    /** When the build started running: its last move to RUNNING (a retried build's latest attempt). */
    private static Instant startedAt(BuildRecord build) {
        return build.transitions().stream().filter(t -> t.state() == BuildState.RUNNING).map(t -> t.at())
                .reduce((first, second) -> second).orElse(build.createdAt());
    }

    /** FAILED, naming every failed platform with its reason; the completed ones listed too. */
    private static Failure failure(BuildId id, List<PlatformWorker.Outcome> all, List<PlatformWorker.Outcome> failed) {
        List<String> reasons = failed.stream().map(o -> o.platform() + " " + o.result().state()
                + o.result().failure().map(f -> " " + f.reason() + ": " + f.message()).orElse("")).toList();
        List<String> completed = all.stream().filter(o -> o.result().state() == BuildState.COMPLETE)
                .map(PlatformWorker.Outcome::platform).toList();
        String message = failed.size() + " of " + all.size() + " platforms failed: " + String.join("; ", reasons)
                + (completed.isEmpty() ? "" : " (completed: " + String.join(", ", completed) + ")");
        return new Failure(PLATFORMS_FAILED, message, "see the failed platform's log: strata build-logs " + id
                + " --platform " + failed.getFirst().platform());
    }

    private static String describe(PlatformWorker.Outcome outcome) {
        return outcome.platform() + ": worker build " + outcome.workerId() + " " + outcome.result().state()
                + outcome.result().failure().map(f -> " (" + f.reason() + ": " + f.message() + ")").orElse("");
    }

    private synchronized Instant begin(int step) {
        Instant now = parts.clock().instant();
        events.on(new BuildEvent.StepStarted(spec.buildId(), now, STEPS.get(step), step + 1, STEPS.size()));
        return now;
    }

    private synchronized void end(int step, Instant started, StepOutcome outcome, Optional<String> detail) {
        events.on(new BuildEvent.StepFinished(spec.buildId(), parts.clock().instant(),
                new StepTiming(STEPS.get(step), started, parts.clock().instant(), outcome), detail));
    }

    /**
     * Synchronized: the platforms' threads log their ends concurrently, and the lines must reach the
     * store in the order of their sequence numbers (the store refuses a gap).
     */
    private synchronized void log(String step, String text) {
        Instant at = parts.clock().instant();
        events.on(new BuildEvent.LogEmitted(spec.buildId(), at, new LogLine(logEnd.incrementAndGet(), at, step, text)));
    }
}
