package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.testkit.GitRepoFixture;
import io.strata.worker.git.GitCheckout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sources of the build a command is about to submit, resolved while it starts: its content key
 * takes them once, for exactly the request they were resolved for; anything else resolves its own.
 */
class SourcesAheadIT {
    @TempDir
    Path dir;

    @AfterEach
    void awaitTheSpareTree() {
        GitCheckout.awaitSpareTrees();
    }

    private Configuration config() throws Exception {
        return ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(),
                Map.of("strata_home", dir.resolve("strata").toString()), Map.of(), dir.resolve("no-osbs.conf"), dir)).config();
    }

    @Test
    void theKeyTakesTheSourcesOnceAndOnlyForTheirRequest() throws Exception {
        Configuration config = config();
        // FROM scratch: nothing to pin, so the registry client is never asked.
        try (GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
                RegistryClient registry = ResolvedInputsIT.unreachableRegistry()) {
            String first = repo.write("Dockerfile", "FROM scratch\nCOPY a /a\nRUN true\n").write("a", "a\n").commit("first");
            BuildRequest request = BuildRequest.builder().component("ahead").gitUri(repo.uri().toString()).gitRef("main")
                    .build();
            SourcesAhead ahead = SourcesAhead.begin(config, registry, request, Platform.current());
            while (!ahead.isResolved()) {
                Thread.sleep(5);
            }
            // The branch moves on after the command started.
            String second = repo.write("a", "b\n").commit("second");
            ContentKeyer keyer = new ContentKeyer(config, registry, "test-builder", Optional.of(ahead));
            String plan = PlanRenderer.render("worker", config.arrangementVersion(), Optional.empty(),
                    PlanOverrides.from(request, config)).toJson();

            BuildRequest other = request.toBuilder().buildArgs(Map.of("X", "y")).build();
            assertThat(keyer.key(other, Platform.current(), plan, line -> { }).orElseThrow().commitId())
                    .as("another request resolves its own").isEqualTo(second);
            List<String> lines = new CopyOnWriteArrayList<>();
            ContentKey taken = keyer.key(request, Platform.current(), plan, lines::add).orElseThrow();
            assertThat(taken.commitId()).as("the ref as the command found it").isEqualTo(first);
            assertThat(taken.runsCommands()).isTrue();
            assertThat(lines).contains("the commit, the Dockerfile and its parents were resolved while the command started");
            assertThat(keyer.key(request, Platform.current(), plan, line -> { }).orElseThrow().commitId())
                    .as("taken once").isEqualTo(second);
        }
    }

    /**
     * Closed before anything took it (a build refused at submit): closing waits for the look-up to end, so it
     * never goes on fetching into the git cache after the command, or a test that removes its home, ended.
     */
    @Test
    void closingWaitsForTheLookUpToEnd() throws Exception {
        Configuration config = config();
        try (GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
                RegistryClient registry = ResolvedInputsIT.unreachableRegistry()) {
            repo.write("Dockerfile", "FROM scratch\nCOPY a /a\n").write("a", "a\n").commit("first");
            BuildRequest request = BuildRequest.builder().component("ahead").gitUri(repo.uri().toString()).gitRef("main")
                    .build();

            SourcesAhead ahead = SourcesAhead.begin(config, registry, request, Platform.current());
            ahead.close();

            assertThat(ahead.isResolved()).isTrue();
        }
    }
}
