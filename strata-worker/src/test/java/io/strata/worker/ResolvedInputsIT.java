package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.build.BuildId;
import io.strata.core.engine.ResolvedInputs;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.pipeline.StepFailedException;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.RegistryRetry;
import io.strata.testkit.GitRepoFixture;
import io.strata.worker.git.GitCheckout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check_out_source and pin_base_images given what build avoidance resolved before the worker started
 * ({@code WorkerSpec.resolved}): the commit is checked out by its id, without asking the repository
 * what the ref names again, and fetched only when the cache lacks it; the pinned parents are used
 * without asking the registry. Without resolved inputs both ask, as before.
 */
class ResolvedInputsIT {
    static final BuildId ID = new BuildId("20261202-000000-abcdef");
    static final String DOCKERFILE = "FROM registry.invalid:5000/base:1\nRUN true\n";
    static final String PINNED = "registry.invalid:5000/base@sha256:" + "a".repeat(64);

    @TempDir
    Path temp;

    /**
     * check_out_source leaves a spare copy of the tree being written into the cache in the background:
     * the temporary directory must not be removed under it (it failed this test now and then).
     */
    @org.junit.jupiter.api.AfterEach
    void awaitTheSpareTree() {
        io.strata.worker.git.GitCheckout.awaitSpareTrees();
    }

    /** A registry client that cannot reach anything: a step that asks it fails. */
    static RegistryClient unreachableRegistry() {
        return new RegistryClient(RegistryClientConfig.defaults().withRetry(RegistryRetry.none(), line -> { }));
    }

    WorkerState run(java.net.URI repo, Path cacheRoot, Optional<ResolvedInputs> resolved, RegistryClient registry)
            throws Exception {
        var steps = Map.of(
                "check_out_source", new CheckOutSourceStep(cacheRoot),
                "pin_base_images", new PinBaseImagesStep(registry));
        var executor = new PlanExecutor<WorkerState>(steps, event -> { }, Clock.systemUTC(), UnaryOperator.identity());
        var request = BuildRequest.builder().component("c").gitUri(repo.toString()).gitRef("main").build();
        var plan = new Plan("worker", 6, List.of(
                new PlanStep("check_out_source", StepPhase.PREBUILD, true, false, Map.of()),
                new PlanStep("pin_base_images", StepPhase.PREBUILD, true, false, Map.of())));
        Path workspace = Files.createTempDirectory(temp, "workspace-");
        return executor.execute(ID, plan, WorkerState.initial(ID, request, Platform.linux("amd64"), Optional.empty(), resolved,
                workspace, Clock.systemUTC().instant()), 0);
    }

    @Test
    void aResolvedCommitIsCheckedOutWithoutAskingForTheRefAgainAndParentsAreNotPinnedAgain() throws Exception {
        Path cacheRoot = temp.resolve("git-cache");
        String first;
        java.net.URI repoUri;
        try (GitRepoFixture repo = GitRepoFixture.create(temp.resolve("repo"))) {
            first = repo.write("Dockerfile", DOCKERFILE).commit("first");
            repoUri = repo.uri();
            // What build avoidance does before the worker starts: the ref resolved into the cache.
            var resolved = new GitCheckout(repo.uri(), "main", temp.resolve("unused"), cacheRoot).resolve("Dockerfile");
            assertThat(resolved.commitId()).isEqualTo(first);
            // The branch moves on after that: the build is still the commit the key named.
            String second = repo.write("Dockerfile", DOCKERFILE + "RUN echo second\n").commit("second");

            WorkerState state = run(repo.uri(), cacheRoot, Optional.of(new ResolvedInputs(first, Map.of("registry.invalid:5000/base:1", PINNED), true)),
                    unreachableRegistry());

            assertThat(state.source().orElseThrow().commitId()).isEqualTo(first).isNotEqualTo(second);
            assertThat(state.pinnedParents()).containsExactly(Map.entry("registry.invalid:5000/base:1", PINNED));
            assertThat(state.requireDockerfile().content()).startsWith("FROM " + PINNED + "\n").doesNotContain("second");
        }
        // The repository is gone: a checkout that asked for the ref again would fail; the cache has the commit.
        deleteRecursively(temp.resolve("repo"));
        WorkerState again = run(repoUri, cacheRoot,
                Optional.of(new ResolvedInputs(first, Map.of("registry.invalid:5000/base:1", PINNED), true)), unreachableRegistry());
        assertThat(again.source().orElseThrow().commitId()).isEqualTo(first);
        assertThatThrownBy(() -> run(repoUri, cacheRoot, Optional.empty(), unreachableRegistry()))
                .as("without the resolved commit, the ref is asked of the repository, which is gone")
                .isInstanceOf(StepFailedException.class);
    }

    @Test
    void aResolvedCommitTheCacheLacksIsFetchedAndWithoutResolvedInputsTheStepsAsk() throws Exception {
        try (GitRepoFixture repo = GitRepoFixture.create(temp.resolve("repo"))) {
            String first = repo.write("Dockerfile", DOCKERFILE).commit("first");
            repo.write("Dockerfile", DOCKERFILE + "RUN echo second\n").commit("second");

            WorkerState state = run(repo.uri(), temp.resolve("empty-cache"),
                    Optional.of(new ResolvedInputs(first, Map.of("registry.invalid:5000/base:1", PINNED), true)), unreachableRegistry());
            assertThat(state.source().orElseThrow().commitId()).isEqualTo(first);

            // Nothing resolved: the parent is asked of the registry, which cannot be reached.
            assertThatThrownBy(() -> run(repo.uri(), temp.resolve("cache-2"), Optional.empty(), unreachableRegistry()))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("registry.invalid:5000");
        }
    }

    static void deleteRecursively(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
