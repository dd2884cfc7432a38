package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.config.StrataSettings;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildStore;
import io.strata.core.store.LeaseOwner;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.worker.buildah.WorkingContainers;
import io.strata.worker.process.ProcessGroups;
import io.strata.local.store.BuildStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciling with real processes but without buildah: an owner that is a process which has
 * exited, a "builder" that is a sleep in a process group of its own, a workspace directory.
 */
class OrphanedBuildsIT {
    @TempDir
    Path home;

    private BuildStore store;
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @BeforeEach
    void openStore() throws Exception {
        store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty());
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private OrphanedBuilds reconciler(Clock clock) {
        return new OrphanedBuilds(store, new WorkingContainers(BuildahOptions.privateStorage(home.resolve("buildah/root"),
                home.resolve("buildah/runroot"))), clock, new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
    }

    private BuildId runningBuild(LeaseOwner owner, Path workspace) throws Exception {
        BuildId id = store.create(BuildRequest.builder().component("orphan").gitUri("file:///r").gitRef("main").build(),
                Map.of(), "{}").id();
        store.takeLease(id, owner, workspace.toString());
        store.transition(id, BuildState.RUNNING, Optional.empty());
        return id;
    }

    /** An owner on this host whose process has ended. */
    private static LeaseOwner deadOwner() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return new LeaseOwner("dead-owner", ThisProcess.OWNER.host(), gone.pid(), Optional.of(Instant.now()));
    }

    @Test
    void aBuildOfADeadOwnerEndsInterruptedWithItsBuilderGroupAndWorkspaceGone() throws Exception {
        Process builder = new ProcessBuilder("setsid", "sh", "-c", "sleep 600 & wait").start();
        Path workspace = Files.createDirectories(home.resolve("workspaces"));
        LeaseOwner owner = deadOwner();
        BuildId id = runningBuild(owner, workspace.resolve("placeholder"));
        Path buildWorkspace = Files.createDirectories(workspace.resolve(id.value()).resolve("src"));
        store.takeLease(id, owner, buildWorkspace.getParent().toString());
        store.heartbeat(id, owner, OptionalLong.of(builder.pid()));

        assertThat(reconciler(Clock.systemUTC()).reconcile()).containsExactly(id);

        assertThat(builder.isAlive()).isFalse();
        assertThat(buildWorkspace.getParent()).doesNotExist();
        BuildRecord record = store.find(id).orElseThrow();
        assertThat(record.state()).isEqualTo(BuildState.FAILED);
        assertThat(record.failure().orElseThrow().reason()).isEqualTo("INTERRUPTED");
        assertThat(record.failure().orElseThrow().message())
                .contains("pid " + owner.pid() + ") ended without finishing it")
                .contains("builder process(es) were stopped")
                .contains("workspace was removed");
        assertThat(store.leases()).isEmpty();
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("build " + id, "FAILED [INTERRUPTED]");
        assertThat(reconciler(Clock.systemUTC()).reconcile()).isEmpty();
    }

    /** The JVM died after starting buildah but before the group reached the store: the mark finds it. */
    @Test
    void aBuilderWhoseGroupWasNeverRecordedIsFoundByItsMark() throws Exception {
        LeaseOwner owner = deadOwner();
        BuildId id = runningBuild(owner, home.resolve("workspaces/unrecorded"));
        ProcessBuilder start = new ProcessBuilder("setsid", "sh", "-c", "sleep 600 & wait");
        start.environment().put(LeaseKeeper.BUILD_MARK, id.value());
        Process builder = start.start();
        Process unrelated = new ProcessBuilder("setsid", "sleep", "600").start();
        try {
            while (ProcessGroups.members(builder.pid()).size() < 2) {
                Thread.sleep(20); // until the shell has started its sleep
            }

            assertThat(reconciler(Clock.systemUTC()).reconcile()).containsExactly(id);

            assertThat(builder.isAlive()).isFalse();
            assertThat(ProcessGroups.members(builder.pid())).isEmpty();
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
            builder.destroyForcibly();
        }
    }

    @Test
    void aFollowersReconcileIsDueOnlyOnceTheLastOneAged() throws Exception {
        OrphanedBuilds reconciler = reconciler(Clock.systemUTC());
        BuildId first = runningBuild(deadOwner(), home.resolve("w1"));
        assertThat(reconciler.reconcile()).containsExactly(first);
        long reconciledAt = System.nanoTime();
        BuildId second = runningBuild(deadOwner(), home.resolve("w2"));

        List<BuildId> tooSoon = reconciler.reconcileIfDue();

        // Checked only when the call did come sooner than the cadence after the reconcile, which is always
        // but on a host that stalled this thread for seconds: the test asserts no time, only the rule.
        if (System.nanoTime() - reconciledAt < OrphanedBuilds.WHILE_FOLLOWING.toNanos()) {
            assertThat(tooSoon).isEmpty();
            assertThat(store.find(second).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
        }
        Thread.sleep(OrphanedBuilds.WHILE_FOLLOWING.toMillis());
        assertThat(reconciler.reconcileIfDue()).containsExactly(second);
    }

    @Test
    void aLiveOwnerKeepsItsBuildAndAReusedPidDoesNot() throws Exception {
        LeaseOwner alive = new LeaseOwner("another-owner-in-this-jvm", ThisProcess.OWNER.host(),
                ThisProcess.OWNER.pid(), ThisProcess.OWNER.startedAt());
        BuildId kept = runningBuild(alive, home.resolve("w1"));
        LeaseOwner reusedPid = new LeaseOwner("owner-before-reboot", ThisProcess.OWNER.host(), ThisProcess.OWNER.pid(),
                Optional.of(Instant.parse("2020-01-01T00:00:00Z")));
        BuildId ended = runningBuild(reusedPid, home.resolve("w2"));

        assertThat(reconciler(Clock.systemUTC()).reconcile()).containsExactly(ended);

        assertThat(store.find(kept).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
    }

    /**
     * An owner's start is its time since boot, which a stepped wall clock does not move; a pid whose start
     * differs (reused) is gone, and a lease of an older version (a wall-clock start) is still judged by that.
     */
    @Test
    void anOwnersStartIsItsTimeSinceBootAndAReusedPidStillEndsItsBuild() throws Exception {
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            Instant sinceBoot = ThisProcess.sinceBoot(other.pid()).orElseThrow();
            assertThat(sinceBoot).isBefore(Instant.parse("2000-01-01T00:00:00Z"));
            assertThat(ThisProcess.OWNER.startedAt()).isPresent().get().isEqualTo(ThisProcess.sinceBoot(ThisProcess.OWNER.pid()).orElseThrow());
            BuildId kept = runningBuild(new LeaseOwner("live", ThisProcess.OWNER.host(), other.pid(), Optional.of(sinceBoot)),
                    home.resolve("live"));
            BuildId keptOld = runningBuild(new LeaseOwner("live-older-version", ThisProcess.OWNER.host(), other.pid(),
                    other.info().startInstant()), home.resolve("live-old"));
            BuildId ended = runningBuild(new LeaseOwner("reused-pid", ThisProcess.OWNER.host(), other.pid(),
                    Optional.of(sinceBoot.minusSeconds(5))), home.resolve("reused"));

            assertThat(reconciler(Clock.systemUTC()).reconcile()).containsExactly(ended);

            assertThat(store.find(kept).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
            assertThat(store.find(keptOld).orElseThrow().state()).isEqualTo(BuildState.RUNNING);
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void anOwnerOnAnotherHostIsGoneOnlyOnceItsHeartbeatIsStale() throws Exception {
        LeaseOwner remote = new LeaseOwner("remote-owner", "another-host.example.com", 1, Optional.empty());
        BuildId id = runningBuild(remote, home.resolve("remote"));
        Instant now = Instant.now();

        assertThat(reconciler(Clock.fixed(now.plus(Duration.ofMinutes(1)), ZoneOffset.UTC)).reconcile()).isEmpty();
        assertThat(reconciler(Clock.fixed(now.plus(Duration.ofMinutes(3)), ZoneOffset.UTC)).reconcile()).containsExactly(id);

        assertThat(store.find(id).orElseThrow().failure().orElseThrow().message())
                .contains("on another-host.example.com) has not renewed its lease");
    }
}
