package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The small pure decisions inside the worker steps, table by table. */
class WorkerHelpersTest {
    static final BuildId ID = new BuildId("20261122-010203-abcdef");

    static WorkerState state(boolean scratch, boolean isolated) {
        var request = BuildRequest.builder().component("c").gitUri("file:///r").gitRef("main")
                .scratch(scratch).isolated(isolated).release(isolated ? "1.2" : null).build();
        return WorkerState.initial(ID, request, Platform.fromKojiArch("x86_64"), Path.of("/tmp/ws"), Instant.EPOCH);
    }

    static final ImageIdentity IDENTITY = new ImageIdentity("c", "team/c", "2.0", "5", Map.of());

    @Test
    void normalBuildsGetUniquePrimaryAndFloatingTags() {
        assertThat(TagAndPushStep.tagsFor(state(false, false), IDENTITY, List.of("latest", "{version}", "{version}-{release}")))
                .containsExactly("build-20261122-010203-abcdef-x86_64", "2.0-5", "latest", "2.0");
    }

    @Test
    void isolatedBuildsGetNoFloatingTags() {
        assertThat(TagAndPushStep.tagsFor(state(false, true), IDENTITY, List.of("latest")))
                .containsExactly("build-20261122-010203-abcdef-x86_64", "2.0-5");
    }

    @Test
    void scratchBuildsGetTheUniqueTagOnly() {
        assertThat(TagAndPushStep.tagsFor(state(true, false), IDENTITY, List.of("latest")))
                .containsExactly("build-20261122-010203-abcdef-x86_64");
    }

    @Test
    void aWorkerOfAMultiPlatformBuildPushesItsPlatformSuffixedUniqueTagOnlyNamedAfterItsOrchestrator() {
        BuildId orchestrator = new BuildId("20261122-010000-fedcba");
        var worker = WorkerState.initial(ID, state(false, false).request(), Platform.fromKojiArch("aarch64"),
                java.util.Optional.of(orchestrator), Path.of("/tmp/ws"), Instant.EPOCH);

        assertThat(TagAndPushStep.tagsFor(worker, IDENTITY, List.of("latest")))
                .containsExactly("build-20261122-010000-fedcba-aarch64");
        assertThat(worker.releaseOwner()).isEqualTo(orchestrator);
    }

    @Test
    void theIndexOfAMultiPlatformBuildGetsTheBuildsTags() {
        assertThat(TagPolicy.tagsFor(state(false, false).request(), TagPolicy.indexTag(ID), "2.0", "5",
                List.of("latest", "{version}"))).containsExactly("build-20261122-010203-abcdef", "2.0-5", "latest", "2.0");
        assertThat(TagPolicy.tagsFor(state(true, false).request(), TagPolicy.indexTag(ID), "2.0", "5",
                List.of("latest"))).containsExactly("build-20261122-010203-abcdef");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://host/team/repo.git,  https://host/team/repo.git",
        "file:///srv/git/repo,        file:///srv/git/repo",
        "git@github.com:team/repo.git, ssh://git@github.com/team/repo.git",
        "host.example:repo,           ssh://host.example/repo",
        "/srv/git/repo,               file:///srv/git/repo",
    })
    void cloneUrisAcceptWhatGitAccepts(String given, String uri) throws StrataException {
        assertThat(CheckOutSourceStep.cloneUri(given)).isEqualTo(URI.create(uri));
    }

    @Test
    void aMalformedGitUriIsExplained() {
        assertThatThrownBy(() -> CheckOutSourceStep.cloneUri("https://bad host/repo"))
                .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.reason()).isEqualTo("GIT_URI_INVALID"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://user:token@git.example/r.git,            https://git.example/r.git",
        "https://ghp_token@github.com/team/r.git,         https://github.com/team/r.git",
        "https://git.example/r.git?access_token=t&ref=1,  https://git.example/r.git?ref=1",
        "https://git.example:8443/r.git,                  https://git.example:8443/r.git",
        "git@github.com:team/repo.git,                    git@github.com:team/repo.git",
    })
    void tokensInGitUrlsNeverBecomeLabels(String uri, String shown) {
        assertThat(AddLabelsStep.vcsUrl(uri)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://repos.example/el9/base.repo,  base.repo",
        "http://repos.example/get?id=7,       get.repo",
        "http://repos.example/,               repo.repo",
        "file:///srv/my%20repos/odd%20name.repo, odd_name.repo",
    })
    void repoFilesGetSafeNamesEndingInRepo(String url, String name) throws StrataException {
        assertThat(InjectYumReposStep.fileName(InjectYumReposStep.parse(url))).isEqualTo(name);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"not a url", "repos.example/x.repo", "http://bad host/x.repo"})
    void aRepoUrlThatIsNoUrlIsExplained(String url) {
        assertThatThrownBy(() -> InjectYumReposStep.parse(url))
                .isInstanceOfSatisfying(StrataException.class, e -> {
                    assertThat(e.reason()).isEqualTo("YUM_REPO_UNREACHABLE");
                    assertThat(e.getMessage()).contains(url);
                    assertThat(e.hint()).contains("yum_repourls").doesNotContain("--");
                });
    }
}
