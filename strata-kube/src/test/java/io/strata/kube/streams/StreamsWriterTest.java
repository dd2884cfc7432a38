package io.strata.kube.streams;

import static io.strata.kube.streams.StreamsFixtures.groupWithoutRepos;
import static io.strata.kube.streams.StreamsFixtures.stream;
import static io.strata.kube.streams.StreamsFixtures.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.BuildConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsWriterTest {
    private static final String TEMPLATE = "FROM replaced-by-buildconfig\nRUN echo 'a: b' && echo \"#1\" \\\n  && true\n";

    @TempDir
    Path dir;

    private GeneratedObjects generate() throws Exception {
        return new StreamsGenerator().generate(groupWithoutRepos(),
                streams("golang", stream("rhel-8/golang", "golang"), "base", stream("rhel-7/base-repos", "base")),
                InMemoryTemplates.sameForAll(TEMPLATE), StreamsOptions.allStreams());
    }

    @Test
    void yamlReadsBackIntoTheClusterModelUnchanged() throws Exception {
        GeneratedObjects objects = generate();

        String yaml = new StreamsWriter().render(objects);
        List<HasMetadata> parsed = new KubernetesSerialization().unmarshal(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

        assertThat(parsed).hasSize(3);
        BuildConfig golang = (BuildConfig) parsed.get(0);
        assertThat(golang.getMetadata().getName()).isEqualTo("builder-golang--art-builder");
        assertThat(golang.getSpec().getSource().getDockerfile())
                .isEqualTo(objects.buildConfigs().get(0).spec().source().dockerfile());
        assertThat(golang.getSpec().getStrategy().getType()).isEqualTo("Docker");
        assertThat(golang.getSpec().getTriggers().getFirst().getImageChange()).isNotNull();
        DaemonSet ds = (DaemonSet) parsed.get(2);
        assertThat(ds.getApiVersion()).isEqualTo("apps/v1");
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("50%");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().getFirst().getCommand())
                .containsExactly("/bin/bash", "-c", KeepAliveDaemonSetFactory.KEEP_ALIVE_SCRIPT);
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().getFirst().getResources().getRequests()
                .get("cpu").toString()).isEqualTo("50m");
    }

    @Test
    void valuesThatLookLikeNumbersOrBooleansStayStrings() throws Exception {
        GeneratedObjects objects = new StreamsGenerator().generate(groupWithoutRepos(),
                streams("1.15", stream("rhel-8/golang", "golang"), "true", stream("rhel-8/golang", "base")),
                InMemoryTemplates.sameForAll(TEMPLATE), new StreamsOptions(List.of("1.15", "true"), false));

        // Read untyped, as the API server does: an unquoted 1.15 would be a number, true a boolean.
        List<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(new StreamsWriter().render(objects)).readAll();

        assertThat(documents).extracting(doc -> doc.at("/metadata/labels/art-builder-stream"))
                .allMatch(JsonNode::isTextual)
                .extracting(JsonNode::asText).containsExactly("1.15", "true");
    }

    @Test
    void dockerfilesAreWrittenAsLiteralBlocks() throws Exception {
        String yaml = new StreamsWriter().render(generate());

        assertThat(yaml).startsWith("---\napiVersion: build.openshift.io/v1\nkind: BuildConfig\n");
        assertThat(yaml).contains("    dockerfile: |\n      FROM replaced-by-buildconfig\n");
    }

    @Test
    void nothingToWriteGivesAnEmptyFile() throws Exception {
        Path out = dir.resolve("out.yaml");

        new StreamsWriter().write(out, new GeneratedObjects(List.of(), Optional.empty()));

        assertThat(Files.readString(out)).isEmpty();
    }

    @Test
    void writeFailureNamesTheFileAndLeavesNothingBehind() throws Exception {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "x");
        Path out = blocker.resolve("out.yaml");

        assertThatThrownBy(() -> new StreamsWriter().write(out, generate()))
                .hasFieldOrPropertyWithValue("reason", "OUTPUT_WRITE_FAILED")
                .hasMessageStartingWith("cannot write " + out + ": ");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(blocker);
        }
    }
}
