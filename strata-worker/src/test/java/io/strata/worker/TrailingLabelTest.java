package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Dockerfile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** add_labels_in_dockerfile's labels: joined to a trailing one-line LABEL, else on a line of their own. */
class TrailingLabelTest {
    private static final Map<String, String> LABELS = labels("release", "7", "vcs-ref", "0123abc",
            "build-date", "2026-12-02T05:00:00Z", "summary", "what the image is", "description", "a \"quoted\" $HOME value");

    @Test
    void newLabelsJoinALabelLineThatEndsTheDockerfile() throws Exception {
        Dockerfile original = Dockerfile.parse("""
                FROM registry.example/base:1
                RUN make
                CMD ["/app"]
                LABEL name="team/app" version=1.0
                """);

        Dockerfile joined = TrailingLabel.withLabelsSet(original, LABELS);

        assertThat(joined.instructions()).as("no instruction added: one image commit less").hasSameSizeAs(original.instructions());
        assertThat(joined.labels()).isEqualTo(original.withLabelsSet(LABELS).labels())
                .containsEntry("name", "team/app").containsEntry("release", "7")
                .containsEntry("description", "a \"quoted\" $HOME value");
        assertThat(joined.instructions().getLast().text()).startsWith("LABEL name=\"team/app\" version=1.0 ")
                .contains("release=\"7\"").contains("vcs-ref=\"0123abc\"");
        assertThat(joined.content()).startsWith("FROM registry.example/base:1\nRUN make\nCMD [\"/app\"]\n").endsWith("\n");
    }

    @Test
    void withAnythingElseLastTheLabelsGetALineOfTheirOwnAsBefore() throws Exception {
        for (String dockerfile : new String[] {
                "FROM base:1\nLABEL name=app\nRUN make\nCMD [\"/app\"]\n",
                // over two lines, or in the legacy "key value" form: not joined
                "FROM base:1\nRUN make\nLABEL name=app \\\n      version=1.0\n",
                "FROM base:1\nRUN make\nLABEL summary an old-style label\n",
        }) {
            Dockerfile original = Dockerfile.parse(dockerfile);
            Dockerfile separate = original.withLabelsSet(LABELS);

            assertThat(TrailingLabel.withLabelsSet(original, LABELS)).as(dockerfile).isEqualTo(separate);
            assertThat(separate.instructions()).hasSize(original.instructions().size() + 1);
        }
    }

    @Test
    void onlyTheLastStageIsLabelledAndStandingKeysChangeInPlace() throws Exception {
        Dockerfile original = Dockerfile.parse("""
                FROM builder:1 AS build
                LABEL stage=first
                FROM base:1
                COPY --from=build /out /app
                LABEL release=1 name=app
                """);

        Dockerfile joined = TrailingLabel.withLabelsSet(original, LABELS);

        assertThat(joined.instructions()).hasSameSizeAs(original.instructions());
        assertThat(joined.labels()).isEqualTo(original.withLabelsSet(LABELS).labels()).containsEntry("release", "7")
                .doesNotContainKey("stage");
        assertThat(joined.instructions().get(1).text()).isEqualTo("LABEL stage=first\n");
        // Keys that are all standing: nothing to join, the same edit as before.
        Map<String, String> standing = labels("release", "8", "name", "app2");
        assertThat(TrailingLabel.withLabelsSet(original, standing)).isEqualTo(original.withLabelsSet(standing));
    }

    @Test
    void aKeyThatNeedsQuotingKeepsItsOwnLine() throws Exception {
        Dockerfile original = Dockerfile.parse("FROM base:1\nLABEL name=app\n");
        Map<String, String> odd = labels("odd key", "x", "release", "2");

        Dockerfile result = TrailingLabel.withLabelsSet(original, odd);

        assertThat(result).isEqualTo(original.withLabelsSet(odd));
        assertThat(result.labels()).containsEntry("odd key", "x").containsEntry("release", "2");
    }

    private static Map<String, String> labels(String... keysAndValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            labels.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return labels;
    }
}
