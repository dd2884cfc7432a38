package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.build.StateTransition;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import io.strata.core.request.BuildRequest;
import io.strata.server.api.ApiJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A build service's answer, read as a tree, ends a command exactly as the record read whole does. */
class BuildEndingTest {
    private static final Instant AT = Instant.parse("2026-12-03T12:00:00.123456Z");

    private static BuildRecord record(BuildState state, Optional<Failure> failure, List<ImageOutput> outputs) {
        BuildId id = new BuildId("20261203-120000-abcdef");
        BuildRequest request = BuildRequest.builder().component("hello").gitUri("https://git.example/hello.git")
                .gitRef("main").platforms(List.of("x86_64", "aarch64")).build();
        return new BuildRecord(id, request, Map.of("registry_uri", "127.0.0.1:5000", "arrangement_version", "6"), "{\"steps\":[]}",
                state, AT, List.of(new StateTransition(BuildState.NEW, AT), new StateTransition(state, AT.plusSeconds(2))),
                List.of(new StepTiming("check_out_source", AT, AT.plusMillis(7), StepOutcome.SUCCEEDED)),
                Optional.of("0123456789abcdef0123456789abcdef01234567"), outputs, failure, Optional.of("{\"metadata_version\":0}"),
                Optional.empty(), List.of(), Optional.of("sha256:key"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ImageOutput output(String platform, String digest) {
        return new ImageOutput(platform, "127.0.0.1:5000/hello", digest, List.of("hello:1.0-1", "latest"), 1_089_766L,
                List.of("sha256:aaa"), List.of(new RpmComponent("bash", "5.2.26", "1.fc40", platform, "0123abcd", "")),
                Map.of("name", "hello", "release", "1"), Map.of("busybox:1", "busybox@sha256:ccc"), List.of());
    }

    private static void assertSameEnding(BuildRecord record) {
        BuildEnding whole = BuildEnding.of(record);
        BuildEnding answered = BuildEnding.ofServiceJson(ApiJson.writeCompact(record));

        assertThat(answered.id()).isEqualTo(whole.id()).isEqualTo(record.id());
        assertThat(answered.state()).isEqualTo(whole.state()).isEqualTo(record.state());
        assertThat(answered.failure()).isEqualTo(whole.failure()).isEqualTo(record.failure());
        assertThat(answered.pullspecs()).isEqualTo(whole.pullspecs())
                .isEqualTo(record.outputs().stream().map(ImageOutput::pullspec).toList());
        assertThat(answered.json().get()).as("--json prints the same document either way").isEqualTo(whole.json().get())
                .isEqualTo(RecordJson.write(record));
    }

    @Test
    void aCompleteBuildsAnswerEndsAsTheRecordDoes() {
        assertSameEnding(record(BuildState.COMPLETE, Optional.empty(),
                List.of(output("x86_64", "sha256:1111"), output("aarch64", "sha256:2222"))));
    }

    @Test
    void aFailedBuildsAnswerKeepsItsReasonMessageAndHint() {
        assertSameEnding(record(BuildState.FAILED, Optional.of(new Failure("BUILDAH_BUILD_FAILED", "RUN exited 1", "fix the RUN step")),
                List.of()));
        assertSameEnding(record(BuildState.CANCELLED, Optional.of(new Failure("CANCELLED", "cancelled by alice")), List.of()));
        assertSameEnding(record(BuildState.FAILED, Optional.empty(), List.of()));
    }

    @Test
    void anAnswerThatIsNoRecordIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> BuildEnding.ofServiceJson("<html>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> BuildEnding.ofServiceJson("{\"state\":\"COMPLETE\"}")).hasMessage("no build id in it");
        assertThatThrownBy(() -> BuildEnding.ofServiceJson("{\"id\":\"20261203-120000-abcdef\",\"state\":\"DONE\"}"))
                .hasMessageContaining("'DONE'");
    }
}
