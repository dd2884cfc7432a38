package io.strata.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.LogLine;
import io.strata.core.service.Caller;
import io.strata.server.api.ApiJson;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pages read a build's JSON document: a multi-platform build's {@code workers} show one badge
 * and one section per platform, a build without them one implicit worker, supply-chain references
 * show as links, and text from a build is escaped wherever it lands.
 */
class BuildViewTest {
    static final Viewer OWNER = new Viewer(Caller.user("alice"), Optional.empty());

    static final String MULTI = """
            {"id": "20261201-101010-abcdef", "state": "FAILED", "created_at": "2026-12-01T10:10:10Z",
             "request": {"component": "multi", "user": "alice", "platforms": ["x86_64", "aarch64"], "labels": {}},
             "transitions": [{"state": "NEW", "at": "2026-12-01T10:10:10Z"}, {"state": "RUNNING", "at": "2026-12-01T10:10:12Z"},
                             {"state": "FAILED", "at": "2026-12-01T10:12:12Z"}],
             "failure": {"reason": "WORKER_BUILDS_FAILED", "message": "aarch64 failed", "hint": ""},
             "outputs": [{"platform": "index", "repository": "reg/multi", "digest": "sha256:1111", "tags": ["1-3"],
                          "size_bytes": 500, "layer_digests": [], "labels": {}}],
             "workers": [
               {"platform": "x86_64", "state": "COMPLETE", "id": "20261201-101011-aaaaaa",
                "steps": [{"step": "buildah_build", "started_at": "2026-12-01T10:10:13Z", "finished_at": "2026-12-01T10:11:13Z", "outcome": "SUCCEEDED"}],
                "outputs": [{"platform": "x86_64", "repository": "reg/multi", "digest": "sha256:2222", "tags": ["1-x86_64"],
                             "size_bytes": 2048, "layer_digests": ["sha256:l1"], "labels": {"name": "multi", "version": "1", "release": "3"},
                             "attestations": [{"kind": "sbom", "artifact_type": "application/vnd.cyclonedx+json",
                                               "digest": "sha256:5555", "signed": false, "found_through": "referrers-tag"}],
                             "sbom": "https://sbom.example/multi-x86_64.json"}]},
               {"platform": "aarch64", "state": "FAILED", "id": "20261201-101011-bbbbbb",
                "failure": {"reason": "STEP_FAILED", "message": "RUN <exit 1>", "hint": "look at the <log>"}, "steps": [], "outputs": []}],
             "provenance": {"reference": "reg/multi@sha256:3333"}}""";

    @Test
    void aBuildWithWorkersShowsEachPlatformWithItsOwnStateLogAndFailure() throws Exception {
        BuildView build = new BuildView(ApiJson.MAPPER.readTree(MULTI));
        assertThat(build.workers()).extracting(BuildView.Worker::platform).containsExactly("x86_64", "aarch64");
        assertThat(build.workers()).extracting(BuildView.Worker::logBuildId)
                .containsExactly("20261201-101011-aaaaaa", "20261201-101011-bbbbbb");
        assertThat(build.nvr()).contains("multi-1-3");
        assertThat(build.index()).contains("reg/multi@sha256:1111");
        assertThat(build.attachments()).containsExactly(
                new BuildView.Attachment("SBOM (x86_64)", "reg/multi@sha256:5555"),
                new BuildView.Attachment("SBOM", "https://sbom.example/multi-x86_64.json"),
                new BuildView.Attachment("Provenance", "reg/multi@sha256:3333"));

        String row = ListPage.row(build, Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(row).doesNotContain("data-started").contains(">x86_64 COMPLETE<").contains(">aarch64 FAILED<").contains("2m 00s");
        String live = LiveSection.render(build, OWNER, Map.of(), Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(live).contains("Worker aarch64").contains("RUN &lt;exit 1&gt;").contains("look at the &lt;log&gt;")
                .contains("href=\"https://sbom.example/multi-x86_64.json\"").contains("<code>reg/multi@sha256:3333</code>")
                .contains("id=\"index\">reg/multi@sha256:1111");
        assertThat(LiveSection.statusLine(build, OWNER)).contains(">FAILED<").doesNotContain("id=\"cancel\"");
    }

    @Test
    void aBuildWithoutWorkersIsOneImplicitWorkerWithTheBuildsStateAndACancelButtonWhileItRuns() throws Exception {
        BuildView build = new BuildView(ApiJson.MAPPER.readTree("""
                {"id": "20261201-101010-abcdef", "state": "RUNNING", "created_at": "2026-12-01T10:10:10Z",
                 "request": {"component": "single", "user": "alice", "platforms": [], "labels": {"a": "<i>x</i>"}},
                 "transitions": [], "steps": [], "outputs": []}"""));
        assertThat(build.workers()).singleElement().satisfies(worker -> {
            assertThat(worker.implicit()).isTrue();
            assertThat(worker.state()).isEqualTo("RUNNING");
            assertThat(worker.logBuildId()).isEqualTo("20261201-101010-abcdef");
            assertThat(worker.platform()).isEqualTo("-");
        });
        assertThat(build.nvr()).isEmpty();
        Instant now = Instant.parse("2026-12-01T10:11:10Z");
        // A running row carries its start, so the page's script can count its duration on.
        assertThat(ListPage.row(build, now)).contains("data-started=\"2026-12-01T10:10:10Z\"").contains(">1m 00s<");
        assertThat(LiveSection.render(build, OWNER, Map.of(), now)).contains("No step has started yet");
        assertThat(LiveSection.statusLine(build, OWNER)).contains("id=\"cancel\"");
        assertThat(LiveSection.statusLine(build, new Viewer(Caller.user("bob"), Optional.empty()))).doesNotContain("id=\"cancel\"");
        // The step it is in shows before it has finished: the record times a step only at its end.
        assertThat(LiveSection.render(build, OWNER, Map.of("20261201-101010-abcdef", "buildah_build"), now))
                .contains(">buildah_build<").contains("class=\"outcome-running\"").contains("RUNNING</span></div>");
    }

    @Test
    void aLogLineHoldingMarkupIsEscaped() {
        String line = LogPane.line(new LogLine(7, Instant.EPOCH, "buildah_build", "<script>alert(\"x\")</script> & 'q'"));
        assertThat(line).isEqualTo("<div class=\"ln\" data-seq=\"7\"><span class=\"step\">buildah_build</span><span class=\"tx\">"
                + "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</span></div>");
    }

    @Test
    void signInSendsABrowserOnlyToAPathOfThisServer() {
        assertThat(LoginPage.safeNext("/builds/x?y=1")).isEqualTo("/builds/x?y=1");
        assertThat(LoginPage.safeNext("//evil.example/")).isEqualTo("/");
        assertThat(LoginPage.safeNext("/\\evil.example")).isEqualTo("/");
        assertThat(LoginPage.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(LoginPage.safeNext(null)).isEqualTo("/");
    }
}
