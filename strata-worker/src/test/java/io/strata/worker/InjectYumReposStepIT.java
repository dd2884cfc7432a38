package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.PlanExecutor;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanStep;
import io.strata.core.plan.StepPhase;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import io.strata.testkit.YumRepoServerFixture;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inject_yum_repos against a repo server that wants HTTP Basic credentials and a token parameter.
 * The executor runs without any redactor, so what is checked is the step's own masking.
 */
class InjectYumReposStepIT {
    static final BuildId ID = new BuildId("20261201-000000-abcdef");

    @TempDir
    Path workspace;

    final List<BuildEvent> events = new CopyOnWriteArrayList<>();

    /** Every client the step asked for, to check it closes them. */
    final List<HttpClient> clients = new CopyOnWriteArrayList<>();

    WorkerState run(List<String> urls) throws Exception {
        var step = new InjectYumReposStep(() -> {
            HttpClient client = LocalWorker.yumRepoClient();
            clients.add(client);
            return client;
        });
        var executor = new PlanExecutor<WorkerState>(Map.of("inject_yum_repos", step), events::add, Clock.systemUTC(),
                UnaryOperator.identity());
        var request = BuildRequest.builder().component("c").gitUri("file:///r").gitRef("main").yumRepoUrls(urls).build();
        var plan = new Plan("worker", 6, List.of(new PlanStep("inject_yum_repos", StepPhase.PREBUILD, true, false, Map.of())));
        return executor.execute(ID, plan, WorkerState.initial(ID, request, Platform.current(), workspace, Clock.systemUTC().instant()), 0);
    }

    List<String> logLines() {
        return events.stream().filter(e -> e instanceof BuildEvent.LogEmitted)
                .map(e -> ((BuildEvent.LogEmitted) e).line().text()).toList();
    }

    @Test
    void userInfoIsSentAsBasicAuthTheQueryIsKeptAndNeitherIsShown() throws Exception {
        try (var repos = YumRepoServerFixture.start("repouser", "pw-s3cret", "tok-s3cret")) {
            repos.put("extra.repo", "[extra]\nbaseurl=http://mirror.example/el9\n");

            WorkerState state = run(List.of(repos.urlWithCredentials("extra.repo")));

            Path file = state.repoDir().orElseThrow().resolve("extra.repo");
            assertThat(file).hasContent("[extra]\nbaseurl=http://mirror.example/el9");
            assertThat(repos.authorizedRequests()).isEqualTo(1);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(logLines()).anyMatch(line -> line.startsWith("fetched http://repouser:****@")
                    && line.contains("/extra.repo?token=**** as extra.repo"));
            assertThat(String.join("\n", logLines())).doesNotContain("s3cret");
        }
    }

    /**
     * An HTTP client left open keeps a selector thread in native code, and the JVM waits up to 300 ms at
     * exit for such a thread: every `strata build` paid that, with yum repos or not.
     */
    @Test
    void theClientIsMadeOnlyForHttpUrlsAndClosedWhenTheStepEnds() throws Exception {
        run(List.of());
        Path local = Files.writeString(workspace.resolve("local.repo"), "[local]\n");
        run(List.of(local.toUri().toString()));
        assertThat(clients).isEmpty();

        try (var repos = YumRepoServerFixture.start("repouser", "pw-s3cret", "tok-s3cret")) {
            repos.put("a.repo", "[a]\n");
            repos.put("b.repo", "[b]\n");
            run(List.of(repos.urlWithCredentials("a.repo"), repos.urlWithCredentials("b.repo")));
        }
        assertThat(clients).hasSize(1);
        assertThat(clients.getFirst().isTerminated()).isTrue();
    }

    @Test
    void refusedCredentialsFailWithTheUrlMasked() {
        try (var repos = YumRepoServerFixture.start("repouser", "right", "tok-s3cret")) {
            repos.put("extra.repo", "[extra]\n");
            String wrong = repos.urlWithCredentials("extra.repo").replace(":right@", ":wr0ng-s3cret@");

            assertThatThrownBy(() -> run(List.of(wrong))).isInstanceOfSatisfying(StrataException.class, e -> {
                assertThat(e.reason()).isEqualTo("YUM_REPO_UNREACHABLE");
                assertThat(e.getMessage()).contains("HTTP 401", "credentials in the URL were refused", "repouser:****@")
                        .doesNotContain("s3cret");
            });
            assertThat(events).filteredOn(e -> e instanceof BuildEvent.StepFinished)
                    .allMatch(e -> !((BuildEvent.StepFinished) e).detail().orElse("").contains("s3cret"));
            assertThat(repos.refusedRequests()).isEqualTo(1);
        }
    }
}
