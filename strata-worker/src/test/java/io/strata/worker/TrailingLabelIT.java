package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.dockerfile.Dockerfile;
import io.strata.testkit.BuildahFixture;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels joined to a trailing LABEL line give buildah the same image as on a LABEL line of
 * their own: the same configuration (labels, command, environment, created time), the same layers;
 * only the history has one entry less (the step saved).
 */
class TrailingLabelIT {
    @Test
    void joinedLabelsGiveTheSameConfigAndLayersWithOneStepLess(@TempDir Path context) throws Exception {
        Files.writeString(context.resolve("hello.txt"), "hello\n");
        Dockerfile original = Dockerfile.parse("""
                FROM scratch
                COPY hello.txt /hello.txt
                ENV GREETING=hi
                CMD ["/hello"]
                LABEL name="team/app" version=1.0
                """);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("release", "7");
        labels.put("build-date", "2026-12-02T05:00:00Z");
        labels.put("description", "a \"quoted\" $GREETING value");
        Dockerfile separate = original.withLabelsSet(labels);
        Dockerfile joined = TrailingLabel.withLabelsSet(original, labels);
        assertThat(joined).isNotEqualTo(separate);

        try (BuildahFixture storage = BuildahFixture.create()) {
            Buildah buildah = new Buildah(new BuildahOptions(storage.storageRoot(), storage.runRoot(),
                    storage.storageDriver(), null, false));
            JsonNode fromSeparate = built(storage, buildah, context, separate, "separate");
            JsonNode fromJoined = built(storage, buildah, context, joined, "joined");

            assertThat(fromJoined.path("config")).isEqualTo(fromSeparate.path("config"));
            assertThat(fromJoined.path("config").path("Labels").path("description").asText())
                    .isEqualTo("a \"quoted\" $GREETING value");
            assertThat(fromJoined.path("config").path("Labels").path("name").asText()).isEqualTo("team/app");
            assertThat(fromJoined.path("rootfs")).isEqualTo(fromSeparate.path("rootfs"));
            assertThat(fromJoined.path("created")).isEqualTo(fromSeparate.path("created"));
            assertThat(fromJoined.path("history")).hasSize(fromSeparate.path("history").size() - 1);
        }
    }

    /** The OCI configuration of the image {@code dockerfile} builds (--layers, a fixed --timestamp). */
    private static JsonNode built(BuildahFixture storage, Buildah buildah, Path context, Dockerfile dockerfile, String name)
            throws Exception {
        Path file = context.resolve("Dockerfile." + name);
        Files.writeString(file, dockerfile.content());
        String imageId = buildah.bud(BudSpec.builder(context).dockerfile(file).timestamp(1_764_633_600L)
                .tag("localhost/trailing-label:" + name).build(), line -> { });
        return new ObjectMapper().readTree(storage.buildah("inspect", "--type", "image", imageId)).path("OCIv1");
    }
}
