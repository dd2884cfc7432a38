package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BUILT = ("{\"created\":\"2023-11-14T22:13:20Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Labels\":{\"a\":\"1\",\"b\":\"2\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:00\"]},"
            + "\"history\":[{\"created\":\"2023-11-14T22:13:20Z\",\"created_by\":\"/bin/sh -c #(nop) COPY a /a\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void withoutLabelsToSetTheConfigIsReturnedToTheByte() throws Exception {
        assertThat(ConfigLabels.folded(BUILT, Map.of())).isSameAs(BUILT);
    }

    @Test
    void labelsAreSetOverTheConfigsOwnWithOneHistoryEntryAndNothingElseChanges() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("b", "two");
        labels.put("c", "say \"hi\" $HOME");

        JsonNode folded = JSON.readTree(ConfigLabels.folded(BUILT, labels));

        assertThat(folded.path("config").path("Labels").properties()).extracting(Map.Entry::getKey).containsExactly("a", "b", "c");
        assertThat(folded.path("config").path("Labels").path("b").asText()).isEqualTo("two");
        assertThat(folded.path("config").path("Labels").path("c").asText()).isEqualTo("say \"hi\" $HOME");
        JsonNode entry = folded.path("history").get(1);
        assertThat(entry.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(entry.path("created_by").asText()).isEqualTo("/bin/sh -c #(nop) LABEL \"b\"=\"two\" \"c\"=\"say \\\"hi\\\" $HOME\"");
        assertThat(entry.path("empty_layer").asBoolean()).isTrue();
        ObjectNode rest = folded.deepCopy();
        ((ObjectNode) rest.path("config")).remove("Labels");
        ((com.fasterxml.jackson.databind.node.ArrayNode) rest.path("history")).remove(1);
        ObjectNode built = (ObjectNode) JSON.readTree(BUILT);
        ((ObjectNode) built.path("config")).remove("Labels");
        assertThat(rest).isEqualTo(built);
        assertThat(ConfigLabels.folded(BUILT, labels)).as("the same labels, the same bytes").isEqualTo(JSON.writeValueAsBytes(folded));
    }

    @Test
    void aConfigWithoutLabelsOrConfigSectionGetsThem() throws Exception {
        JsonNode folded = JSON.readTree(ConfigLabels.folded("{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("release", "1")));

        assertThat(folded.path("config").path("Labels").path("release").asText()).isEqualTo("1");
        assertThat(folded.path("history")).hasSize(1);
    }

    @Test
    void aDockerFormatConfigGetsThemInItsContainerConfigToo() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("{\"config\":{},\"container_config\":{\"Labels\":{\"x\":\"1\"}}}");

        ConfigLabels.set(config, Map.of("release", "2"));

        assertThat(config.path("config").path("Labels").path("release").asText()).isEqualTo("2");
        assertThat(config.path("container_config").path("Labels").path("release").asText()).isEqualTo("2");
        assertThat(config.path("container_config").path("Labels").path("x").asText()).isEqualTo("1");
    }

    @Test
    void somethingThatIsNotAJsonObjectIsNoConfig() {
        assertThatThrownBy(() -> ConfigLabels.folded("[]".getBytes(StandardCharsets.UTF_8), Map.of("a", "b")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not a JSON object");
    }
}
