package io.strata.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.store.BuildSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the server writes, the CLI reads back equal: the CLI against a server prints the same record
 * as without one only if the JSON round trip loses nothing.
 */
class ApiJsonTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00.123456Z");

    @Test
    void aMultiPlatformRecordWithItsWorkersSurvivesTheRoundTrip() throws Exception {
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("https://git.example.com/hello.git")
                .gitRef("main").platforms(List.of("x86_64", "s390x")).build();
        var worker = new io.strata.core.build.WorkerBuild(new BuildId("20261201-100001-aaaaaa"), "s390x", BuildState.FAILED,
                Optional.of(new Failure("STEP_FAILED", "buildah_build: RUN exited 1", "see the log")), List.of(),
                List.of(new StepTiming("buildah_build", T, T.plusSeconds(4), StepOutcome.FAILED)));
        BuildRecord record = new BuildRecord(new BuildId("20261201-100000-3f9a1c"), request, Map.of(), "{}", BuildState.FAILED,
                T, List.of(new StateTransition(BuildState.NEW, T)), List.of(), Optional.empty(), List.of(),
                Optional.of(new Failure("PLATFORMS_FAILED", "1 of 2 platforms failed: s390x", "see its log")), Optional.empty(),
                Optional.empty(), List.of(worker), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        String json = ApiJson.write(record);

        assertThat(json).contains("\"workers\" : [ {", "\"platform\" : \"s390x\"", "\"parent\" : null");
        assertThat(ApiJson.MAPPER.readValue(json, BuildRecord.class)).isEqualTo(record);
        BuildRecord ofWorker = new BuildRecord(worker.id(), request, Map.of(), "{}", BuildState.FAILED, T, List.of(), List.of(),
                Optional.empty(), List.of(), worker.failure(), Optional.empty(), Optional.of(record.id()), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ApiJson.write(ofWorker)).contains("\"parent\" : \"20261201-100000-3f9a1c\"");
        assertThat(ApiJson.MAPPER.readValue(ApiJson.write(ofWorker), BuildRecord.class)).isEqualTo(ofWorker);
    }

    @Test
    void aWholeRecordSurvivesTheRoundTrip() throws Exception {
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("https://git.example.com/hello.git")
                .gitRef("main").gitBranch("main").target("candidate").platforms(List.of("x86_64")).scratch(true)
                .release("3").yumRepoUrls(List.of("https://repo.example.com/a.repo")).labels(Map.of("a", "b"))
                .buildArgs(Map.of("X", "1")).user("alice").kojiTaskId(42L).priority(5).build();
        BuildRecord record = new BuildRecord(new BuildId("20261201-100000-3f9a1c"), request, Map.of("registry_uri", "r"),
                "{\"steps\": []}", BuildState.FAILED, T,
                List.of(new StateTransition(BuildState.NEW, T), new StateTransition(BuildState.FAILED, T.plusSeconds(3))),
                List.of(new StepTiming("check_out_source", T, T.plusSeconds(1), StepOutcome.values()[0])),
                Optional.of("abc123"),
                List.of(new ImageOutput("x86_64", "registry.example.com/hello", "sha256:" + "0".repeat(64), List.of("1-3"),
                        123, List.of("sha256:" + "1".repeat(64)), List.of(), Map.of("name", "hello"), Map.of("busybox", "busybox@sha256:x"))),
                Optional.of(new Failure("BUILD_FAILED", "RUN false", "see the log")), Optional.of("{\"metadata_version\": 0}"));
        String json = ApiJson.write(record);
        assertThat(json).contains("\"git_uri\"").contains("\"created_at\" : \"2026-12-01T10:00:00.123456Z\"");
        assertThat(ApiJson.MAPPER.readValue(json, BuildRecord.class)).isEqualTo(record);

        BuildSummary summary = new BuildSummary(record.id(), "hello", "main", BuildState.COMPLETE, T, Optional.of(T),
                Optional.empty(), Optional.of("registry.example.com/hello@sha256:0"));
        BuildListBody page = new BuildListBody(List.of(summary), Optional.empty());
        String pageJson = ApiJson.write(page);
        assertThat(pageJson).contains("\"next_cursor\" : null");
        assertThat(ApiJson.MAPPER.readValue(pageJson, BuildListBody.class)).isEqualTo(page);

        LogPage logs = new LogPage(List.of(new LogLine(1, T, "buildah_build", "STEP 1/2")), 1);
        assertThat(ApiJson.MAPPER.readValue(ApiJson.write(logs), LogPage.class)).isEqualTo(logs);

        BuildSubmission submission = new BuildSubmission(request, Optional.of(new CustomizeJson("customize.json",
                "{\"disable_plugins\": [{\"plugin_type\": \"postbuild_plugins\", \"plugin_name\": \"gather_image_content\"}]}")));
        BuildSubmission back = ApiJson.MAPPER.readValue(ApiJson.writeCompact(BuildRequestBody.of(submission)),
                BuildRequestBody.class).toSubmission();
        assertThat(back.request()).isEqualTo(request);
        assertThat(ApiJson.MAPPER.readTree(back.customize().orElseThrow().text()))
                .isEqualTo(ApiJson.MAPPER.readTree(submission.customize().orElseThrow().text()));
        assertThat(ApiJson.MAPPER.readValue(ApiJson.writeCompact(BuildRequestBody.of(BuildSubmission.of(request))),
                BuildRequestBody.class).toSubmission().customize()).isEmpty();
    }

    /** Map.copyOf's order differs between JVMs; the text must not (the CLI compares it with the server's). */
    @Test
    void mapKeysAreWrittenSorted() {
        Map<String, String> letters = new java.util.HashMap<>();
        StringBuilder sorted = new StringBuilder();
        for (char c = 'a'; c <= 'z'; c++) {
            letters.put(c + "key", "v");
            sorted.append(sorted.isEmpty() ? "" : ",").append("\"").append(c).append("key\":\"v\"");
        }
        assertThat(ApiJson.writeCompact(Map.copyOf(letters))).isEqualTo("{" + sorted + "}");
    }

    @Test
    void aRequestBodyRefusesUnknownFieldsAndKeepsCredentialsOutOfItsText() {
        assertThatThrownBy(() -> ApiJson.MAPPER.readValue("{\"component\": \"a\", \"colour\": \"red\"}", BuildRequestBody.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        BuildRequestBody body = new BuildRequestBody("a", "https://alice:s3cret@git.example.com/a.git", "main", null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(body.toString()).doesNotContain("s3cret");
    }
}
