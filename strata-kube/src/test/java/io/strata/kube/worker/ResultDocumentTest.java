package io.strata.kube.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.StepOutcome;
import io.strata.core.build.StepTiming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultDocumentTest {
    @Test
    void aResultSurvivesTheConfigMapRoundTrip() throws Exception {
        Instant start = Instant.parse("2026-11-22T00:45:12Z");
        ResultDocument document = new ResultDocument(BuildState.FAILED, Optional.of(new Failure("PRIMARY_TAG_TAKEN", "taken", "rename")),
                false, List.of(new ResultDocument.StepRun(1, 9, new StepTiming("check_out_source", start, start.plusSeconds(2),
                        StepOutcome.values()[0]), Optional.empty())), Optional.of("abc"),
                List.of(new ImageOutput("x86_64", "reg/x", "sha256:1", List.of("t"), 5, List.of("sha256:2"), List.of(), Map.of("a", "b"),
                        Map.of())), Optional.of("{}"));

        ResultDocument read = ResultDocument.fromJson(document.toJson());

        assertThat(read).isEqualTo(document);
        assertThat(read.toResult().failure().orElseThrow().reason()).isEqualTo("PRIMARY_TAG_TAKEN");
    }
}
