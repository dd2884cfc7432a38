package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.request.BuildRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KojiMetadataTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    static KojiMetadata.Input input(List<RpmComponent> rpms) {
        var request = BuildRequest.builder().component("hello").gitUri("https://me:token@git.example/hello.git")
                .gitRef("main").user("alice").kojiTaskId(42L).build();
        var identity = new ImageIdentity("hello", "team/hello", "1.0", "3", Map.of("name", "team/hello"));
        var output = new ImageOutput("x86_64", "registry.example/team/hello", DIGEST, List.of("build-x", "1.0-3", "latest"),
                12345, List.of("sha256:" + "01".repeat(32)), rpms, Map.of("name", "team/hello", "release", "3"),
                Map.of("busybox:1", "registry.example/busybox@sha256:" + "cd".repeat(32)));
        return new KojiMetadata.Input("20261122-010203-abcdef", request, "c0ffee", identity, output, "imageid123",
                BuildEnvironment.DOCKER_V2_MANIFEST, Instant.parse("2026-11-22T01:00:00Z"), Instant.parse("2026-11-22T01:02:00Z"),
                Map.of("buildah", "1.28.2"), "Debian GNU/Linux 12 (bookworm)", "0.1.0",
                java.util.Optional.of(new io.strata.worker.network.NetworkGrant(io.strata.core.request.NetworkPolicy.ALLOWLIST,
                        List.of(new io.strata.worker.network.AllowedEndpoint("repo.example", "192.0.2.7", 8080, "yum repo")))));
    }

    @Test
    void theNetworkPolicyAndAllowListInEffectAreInTheExtraMetadata() throws Exception {
        var network = new com.fasterxml.jackson.databind.ObjectMapper().readTree(KojiMetadata.toJson(input(List.of())))
                .path("build").path("extra").path("strata_network");
        assertThat(network.path("policy").asText()).isEqualTo("allowlist");
        assertThat(network.path("allowed").get(0).path("host").asText()).isEqualTo("repo.example");
        assertThat(network.path("allowed").get(0).path("address").asText()).isEqualTo("192.0.2.7");
        assertThat(network.path("allowed").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(network.path("allowed").get(0).path("source").asText()).isEqualTo("yum repo");
    }

    @Test
    void aBuildThatBuiltNothingNamesTheImageItCameFromAndABuiltOneDoesNot() throws Exception {
        KojiMetadata.Input built = input(List.of());
        var reused = new KojiMetadata.Input(built.buildId(), built.request(), built.commitId(), built.identity(), built.output(),
                built.imageId(), built.manifestMediaType(), built.startedAt(), built.finishedAt(), Map.of("strata", "0.1.0"),
                built.hostOs(), built.strataVersion(), java.util.Optional.empty(), java.util.Optional.of(new KojiMetadata.Origin(
                        KojiMetadata.Origin.CONFIG_ONLY, "20261121-000000-aaaaaa", "registry.example/team/hello@" + DIGEST)));
        String json = KojiMetadata.toJson(reused);
        assertThat(KojiMetadataValidator.problems(json)).isEmpty();
        JsonNode origin = new ObjectMapper().readTree(json).at("/build/extra/strata_reused_from");
        assertThat(origin.path("kind").asText()).isEqualTo("config_only");
        assertThat(origin.path("build_id").asText()).isEqualTo("20261121-000000-aaaaaa");
        assertThat(origin.path("image").asText()).isEqualTo("registry.example/team/hello@" + DIGEST);
        assertThat(new ObjectMapper().readTree(KojiMetadata.toJson(built)).at("/build/extra/strata_reused_from").isMissingNode())
                .isTrue();
    }

    @Test
    void theDocumentHasWhatKojiNeedsAndNoCredentials() throws Exception {
        String json = KojiMetadata.toJson(input(List.of(new RpmComponent("bash", "5.1", "2.el9", "x86_64", "abc", "(none)"),
                new RpmComponent("tzdata", "2024a", "1", "noarch", "def", "2"))));
        assertThat(KojiMetadataValidator.problems(json)).isEmpty();
        assertThat(json).doesNotContain("token");

        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.path("metadata_version").asInt()).isZero();
        assertThat(doc.at("/build/name").asText()).isEqualTo("hello");
        assertThat(doc.at("/build/release").asText()).isEqualTo("3");
        assertThat(doc.at("/build/source").asText()).isEqualTo("https://git.example/hello.git#c0ffee");
        assertThat(doc.at("/build/end_time").asLong() - doc.at("/build/start_time").asLong()).isEqualTo(120);
        assertThat(doc.at("/build/extra/container_koji_task_id").asLong()).isEqualTo(42);
        assertThat(doc.at("/output/0/type").asText()).isEqualTo("docker-image");
        assertThat(doc.at("/output/0/components/0/epoch").isNull()).isTrue();
        assertThat(doc.at("/output/0/components/1/epoch").asInt()).isEqualTo(2);
        assertThat(doc.at("/output/0/extra/docker/digests/" + BuildEnvironment.DOCKER_V2_MANIFEST.replace("/", "~1")).asText())
                .isEqualTo(DIGEST);
        assertThat(doc.at("/output/0/extra/docker/repositories").toString())
                .contains("registry.example/team/hello:1.0-3", "registry.example/team/hello@" + DIGEST);
    }

    @Test
    void theValidatorListsEveryProblemAtOnce() {
        String broken = """
                {"metadata_version": 1, "build": {"name": "", "version": "1", "release": "1", "source": "s",
                 "start_time": 10, "end_time": 5}, "buildroots": [], "output": [{"buildroot_id": 9, "type": "docker-image"}]}
                """;
        assertThat(KojiMetadataValidator.problems(broken)).contains(
                "metadata_version must be 0",
                "build.name must be a non-empty string",
                "build.end_time is before build.start_time",
                "buildroots must be a non-empty list",
                "output[0].buildroot_id names no buildroot",
                "output[0].filename must be a non-empty string",
                "output[0].extra.docker.digests must map media types to digests");
    }
    @Test
    void aMultiPlatformBuildsMetadataHasOneOutputPerPlatformEachNamingItsOwnBuildroot() throws Exception {
        String amd = KojiMetadata.toJson(input(List.of()));
        var arm = new com.fasterxml.jackson.databind.ObjectMapper().readTree(amd).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) arm.path("buildroots").get(0).path("host")).put("arch", "aarch64");
        ((com.fasterxml.jackson.databind.node.ObjectNode) arm.path("output").get(0)).put("arch", "aarch64");
        var index = new ImageOutput("index", "registry.example/team/hello", "sha256:" + "ef".repeat(32),
                List.of("build-o", "1.0-3"), 700, List.of(), List.of(), Map.of(), Map.of());

        var joined = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                KojiMetadataJoin.join("20261122-010000-000000", List.of(amd, arm.toString()), index));

        assertThat(KojiMetadataValidator.problems(joined.toString())).isEmpty();
        assertThat(joined.path("output")).hasSize(2);
        assertThat(joined.path("buildroots")).hasSize(2);
        assertThat(joined.path("output").get(1).path("arch").asText()).isEqualTo("aarch64");
        assertThat(joined.path("output").get(1).path("buildroot_id").asInt()).isEqualTo(2);
        assertThat(joined.path("buildroots").get(1).path("host").path("arch").asText()).isEqualTo("aarch64");
        assertThat(joined.path("build").path("extra").path("strata_build_id").asText()).isEqualTo("20261122-010000-000000");
        assertThat(joined.path("build").path("extra").path("image").path("index").path("pull").get(0).asText())
                .isEqualTo(index.pullspec());
    }
}
