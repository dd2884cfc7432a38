package io.strata.local.avoid;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildService;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildStore;
import io.strata.core.store.BuildSummary;
import io.strata.local.store.AutorebuildPolicies;
import io.strata.local.store.BuildAvoidanceRows;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds a component when a parent image of its last build changes (docs/builds.md,
 * "Autorebuild"): every {@code strata_autorebuild_interval} it looks, for each policy (component
 * and git branch), at the component's newest build on that branch; when that one completed, it
 * asks the registry for the digest of each parent image as the Dockerfile names it (a HEAD
 * request, at most {@code strata_autorebuild_registry_rate} per minute per registry) and, when a
 * parent's digest for the build's platform is no longer the one the build was pinned to, submits
 * the same request again as an autorebuild: a new release, the parent change recorded as its
 * {@code autorebuild_cause}. A failed or unfinished last build, or an autorebuild of the component
 * already queued, means no new one.
 */
public final class AutorebuildPoller implements AutoCloseable {
    /** How many of a component's newest builds are looked through for the newest on the policy's branch. */
    static final int RECENT_BUILDS = 50;

    private final BuildStore store;
    private final AutorebuildPolicies policies;
    private final BuildAvoidanceRows rows;
    private final BuildService service;
    private final RegistryClient registry;
    private final RegistryRateLimit rate;
    private final Duration interval;
    private final PrintStream diagnostics;
    /** Per parent reference as written: the HEAD digest last seen and whether it resolved to the pinned one. */
    private final Map<String, String> unchangedHeads = new HashMap<>();
    private volatile Thread loop;

    public AutorebuildPoller(BuildStore store, AutorebuildPolicies policies, BuildAvoidanceRows rows, BuildService service,
            RegistryClient registry, Duration interval, int requestsPerMinute, Clock clock, PrintStream diagnostics) {
        this.store = store;
        this.policies = policies;
        this.rows = rows;
        this.service = service;
        this.registry = registry;
        this.rate = new RegistryRateLimit(requestsPerMinute, clock);
        this.interval = interval;
        this.diagnostics = diagnostics;
    }

    public synchronized void start() {
        if (loop == null) {
            loop = Thread.ofVirtual().name("strata-autorebuild").start(this::loop);
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                pollOnce();
            } catch (StrataException | RuntimeException e) {
                diagnostics.println("strata: warning: autorebuild could not look at the parent images: " + e.getMessage()
                        + "; trying again in " + interval.toSeconds() + " s");
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at every policy; returns the builds it submitted. */
    public java.util.List<BuildId> pollOnce() throws StrataException {
        java.util.List<BuildId> submitted = new java.util.ArrayList<>();
        for (AutorebuildPolicies.Policy policy : policies.list()) {
            Optional<BuildRecord> last = lastBuild(policy);
            if (last.isEmpty() || last.get().state() != BuildState.COMPLETE || rows.autorebuildUnderway(policy.component())) {
                continue;
            }
            Optional<String> change = parentChange(last.get());
            if (change.isPresent()) {
                submitted.add(rebuild(last.get(), change.get()));
            }
        }
        return submitted;
    }

    /** The component's newest build on the policy's branch, if any. */
    private Optional<BuildRecord> lastBuild(AutorebuildPolicies.Policy policy) throws StrataException {
        for (BuildSummary summary : store.list(new BuildQuery(Optional.of(policy.component()), Optional.empty(), RECENT_BUILDS))) {
            Optional<BuildRecord> record = store.find(summary.id());
            if (record.isPresent() && policy.gitBranch().equals(record.get().request().gitBranch())) {
                return record;
            }
        }
        return Optional.empty();
    }

    /** "{@code parent}: old digest -> new digest" for the first parent that moved. */
    private Optional<String> parentChange(BuildRecord last) throws StrataException {
        for (ImageOutput output : last.outputs()) {
            Platform platform = Platform.fromKojiArch(output.platform());
            for (Map.Entry<String, String> parent : output.parentImages().entrySet()) {
                ImageReference written = ImageReference.parse(parent.getKey());
                String pinned = ImageReference.parse(parent.getValue()).digest().orElse("");
                if (written.isPinned() || !rate.tryAcquire(written.registry())) {
                    continue;
                }
                Optional<String> head = registry.blobs().manifestDigest(written);
                if (head.isEmpty() || head.get().equals(pinned) || head.get().equals(unchangedHeads.get(parent.getKey()))) {
                    continue;
                }
                // A manifest list: its own digest moved or was never resolved; its entry for the platform decides.
                if (!rate.tryAcquire(written.registry())) {
                    continue;
                }
                String now = registry.resolve(written, platform).digest();
                if (now.equals(pinned)) {
                    unchangedHeads.put(parent.getKey(), head.get());
                    continue;
                }
                return Optional.of(parent.getKey() + ": " + pinned + " -> " + now);
            }
        }
        return Optional.empty();
    }

    private BuildId rebuild(BuildRecord last, String cause) throws StrataException {
        BuildRequest again = last.request().toBuilder().release(null).noCache(false).build();
        String user = again.user() == null || again.user().isBlank() ? "autorebuild" : again.user();
        BuildRecord submitted = service.submit(new BuildSubmission(again, Optional.empty()), new Caller(user, true));
        rows.recordAutorebuildCause(submitted.id(), cause);
        diagnostics.println("strata: autorebuild of " + last.request().component() + " (" + last.request().gitBranch()
                + ") submitted as " + submitted.id() + ": " + cause);
        return submitted.id();
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
