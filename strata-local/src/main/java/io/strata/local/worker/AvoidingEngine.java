package io.strata.local.worker;

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
import io.strata.core.plan.Plan;
import io.strata.local.avoid.BuildAvoidance;
import io.strata.local.store.BuildAvoidanceRows;
import io.strata.worker.ContentKey;
import io.strata.worker.ContentKeyer;
import io.strata.worker.process.SecretMasker;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The local engine with build avoidance in front (docs/builds.md, "Build avoidance"): before the
 * worker starts, the build's content key is made ({@link ContentKeyer}: no checkout) and
 * {@link BuildAvoidance} decides whether an earlier build's image can be re-tagged or given a new
 * config instead; then the build completes at once with no checkout and no builder run. Otherwise
 * the worker builds, and once it completed on exactly the commit and parents the key was made
 * from, the key is recorded so that later builds can reuse this one.
 */
public final class AvoidingEngine implements Engine {
    private final LocalEngine inner;
    private final ContentKeyer keyer;
    private final BuildAvoidance avoidance;
    private final BuildAvoidanceRows rows;
    private final Clock clock;

    public AvoidingEngine(LocalEngine inner, ContentKeyer keyer, BuildAvoidance avoidance, BuildAvoidanceRows rows,
            Clock clock) {
        this.inner = inner;
        this.keyer = keyer;
        this.avoidance = avoidance;
        this.rows = rows;
        this.clock = clock;
    }

    @Override
    public String name() {
        return inner.name();
    }

    void checkRunnable(Plan plan) throws StrataException {
        inner.checkRunnable(plan);
    }

    @Override
    public EngineRun start(WorkerSpec spec, BuildListener events) {
        if (spec.orchestrator().isPresent()) {
            // One platform's worker of a multi-platform build: reuse would tag the image as a build of
            // its own (primary and floating tags), which only the orchestrator's index may carry.
            // Multi-platform builds are built; their avoidance would be a key over the whole index.
            return inner.start(spec, events);
        }
        return ThreadRun.start(spec.buildId(), "strata-avoid-", () -> execute(spec, events));
    }

    @Override
    public void close() {
        inner.close();
    }

    private WorkerResult execute(WorkerSpec spec, BuildListener events) {
        BuildId id = spec.buildId();
        AtomicLong logEnd = new AtomicLong(spec.logAfter());
        SecretMasker masker = LocalEngine.requestSecrets(spec.request());
        Consumer<String> log = line -> {
            var at = clock.instant();
            events.on(new BuildEvent.LogEmitted(id, at, new LogLine(logEnd.incrementAndGet(), at, "avoid", masker.mask(line))));
        };
        Optional<ContentKey> key;
        try {
            key = keyer.key(spec.request(), inner.platformOf(spec.platform()), spec.planJson(), log);
            key.ifPresentOrElse(k -> log.accept("content key " + k.value() + " (commit " + k.commitId() + ", tree "
                    + k.treeId() + ")"), () -> log.accept("no content key: the Dockerfile is missing or unreadable"));
            if (key.isPresent()) {
                BuildAvoidance.Outcome outcome = avoidance.avoid(spec, key.get(), log);
                switch (outcome) {
                    case BuildAvoidance.Outcome.Build build -> log.accept("building: " + build.why());
                    case BuildAvoidance.Outcome.Reused reused -> {
                        rows.recordReusedFrom(id, reused.from());
                        return finishWithout(spec, key.get(), reused.output(), reused.kojiMetadata(), events);
                    }
                    case BuildAvoidance.Outcome.ConfigOnly configOnly -> {
                        rows.recordConfigOnlyFrom(id, configOnly.from());
                        return finishWithout(spec, key.get(), configOnly.output(), configOnly.kojiMetadata(), events);
                    }
                }
            }
        } catch (StrataException e) {
            if (Thread.currentThread().isInterrupted()) {
                return WorkerResult.cancelled();
            }
            if ("RELEASE_ALREADY_BUILT".equals(e.reason()) || "PRIMARY_TAG_TAKEN".equals(e.reason())) {
                return WorkerResult.failed(new Failure(e.reason(), masker.mask(e.getMessage()), e.hint()), false);
            }
            // The build itself reports a git or registry problem with its own step's message.
            log.accept("no build avoidance: " + e.getMessage());
            key = Optional.empty();
        }
        return build(spec, key, events, logEnd);
    }

    /**
     * The build done by reuse: its commit, image and Koji metadata recorded like a built one's, and its key. The
     * image is in the registry now: a key that cannot be recorded only means later builds do not
     * find this one, so it is not a failure of the build.
     */
    private WorkerResult finishWithout(WorkerSpec spec, ContentKey key, io.strata.core.build.ImageOutput output,
            Optional<String> kojiMetadata, BuildListener events) {
        events.on(new BuildEvent.SourceCheckedOut(spec.buildId(), clock.instant(), key.commitId()));
        events.on(new BuildEvent.ImagePushed(spec.buildId(), clock.instant(), output));
        kojiMetadata.ifPresent(json -> events.on(new BuildEvent.MetadataExported(spec.buildId(), clock.instant(), json)));
        recordKey(spec.buildId(), key);
        return WorkerResult.complete();
    }

    private void recordKey(BuildId id, ContentKey key) {
        try {
            rows.recordKey(id, key.value());
        } catch (StrataException e) {
            // The build stands; it just cannot be reused later.
        }
    }

    /** Runs the worker; records the key when it built exactly what the key names. */
    private WorkerResult build(WorkerSpec spec, Optional<ContentKey> key, BuildListener events, AtomicLong logEnd) {
        AtomicReference<String> commit = new AtomicReference<>();
        AtomicReference<Map<String, String>> parents = new AtomicReference<>();
        BuildListener watching = event -> {
            switch (event) {
                case BuildEvent.SourceCheckedOut checkedOut -> commit.set(checkedOut.commitId());
                case BuildEvent.ImagePushed pushed -> parents.set(pushed.output().parentImages());
                default -> { }
            }
            events.on(event);
        };
        // The worker checks out the commit the key named and builds on the parents it pinned, asking neither again.
        WorkerSpec after = spec.continuing(logEnd.get(),
                key.map(k -> new io.strata.core.engine.ResolvedInputs(k.commitId(), k.pinnedParents(), k.runsCommands())));
        EngineRun run = inner.start(after, watching);
        WorkerResult result;
        try {
            result = run.await();
        } catch (InterruptedException e) {
            run.cancel();
            try {
                result = run.await();
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
                return WorkerResult.cancelled();
            }
        }
        if (result.state() == io.strata.core.build.BuildState.COMPLETE && key.isPresent()
                && key.get().matches(commit.get(), Optional.ofNullable(parents.get()).orElse(Map.of()))) {
            recordKey(spec.buildId(), key.get());
        }
        return result;
    }
}
