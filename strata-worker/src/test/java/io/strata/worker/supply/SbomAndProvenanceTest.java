package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SbomAndProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String PARENT = "127.0.0.1:5000/base/debian@sha256:" + "cd".repeat(32);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static SbomInput sbom() {
        return new SbomInput("127.0.0.1:5000/team/app", DIGEST, "team/app", "1-3",
                List.of(new OsPackage("deb", "debian", "bash", "5.2.15-2+b7", "amd64"),
                        new OsPackage("rpm", "fedora", "curl", "8.6.0-7.fc40", "x86_64")),
                List.of(new AddedFile("/srv/app.txt", "ef".repeat(32), 17)), Map.of("debian:12", PARENT),
                "https://git.example/app.git", COMMIT, Instant.parse("2026-01-02T03:04:05Z"), "0.1.0", true);
    }

    @Test
    void theSbomIsValidCycloneDxAndTheSameForTheSameImage() throws Exception {
        byte[] written = SbomWriter.write(sbom());

        assertThat(SbomWriter.problems(written)).isEmpty();
        assertThat(SbomWriter.write(sbom())).isEqualTo(written);
        JsonNode bom = JSON.readTree(written);
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("metadata").path("component").path("hashes").path(0).path("content").asText()).isEqualTo("ab".repeat(32));
        assertThat(bom.toString()).contains("pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64", "pkg:rpm/fedora/curl@",
                "/srv/app.txt", "cd".repeat(32), COMMIT);
        assertThat(SbomWriter.componentCounts(written)).containsEntry("library", 2L).containsEntry("file", 1L)
                .containsEntry("container", 1L);
        assertThat(SbomWriter.problems("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":7}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNotEmpty();
    }

    /**
     * SbomWriter keeps one CycloneDX generator (one Jackson mapper) for every SBOM instead of the
     * library's new one per document: its output must be exactly what a fresh generator writes, also
     * for a document written after another (nothing of the first left behind).
     */
    @Test
    void theReusedGeneratorWritesExactlyWhatAFreshLibraryGeneratorWrites() throws Exception {
        SbomWriter.write(new SbomInput("127.0.0.1:5000/other", "sha256:" + "12".repeat(32), "other", "9-9", List.of(),
                List.of(), Map.of(), "https://git.example/other.git", COMMIT, Instant.EPOCH, "0.0.1", false));

        String fresh = org.cyclonedx.generators.BomGeneratorFactory.createJson(SbomWriter.SPEC, SbomWriter.model(sbom()))
                .toJsonString(true);

        assertThat(new String(SbomWriter.write(sbom()), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(fresh);
    }

    @Test
    void theIndexSbomListsEveryPlatformImageByDigestAndIsValid() throws Exception {
        Map<String, String> platforms = new java.util.LinkedHashMap<>();
        platforms.put("linux/amd64", "sha256:" + "a1".repeat(32));
        platforms.put("linux/arm64", "sha256:" + "b2".repeat(32));
        SbomInput index = new SbomInput("127.0.0.1:5000/team/app", DIGEST, "team/app", "1-3", List.of(), List.of(),
                Map.of(), "https://git.example/app.git", COMMIT, Instant.parse("2026-01-02T03:04:05Z"), "0.1.0", true);

        byte[] written = SbomWriter.writeIndex(index, platforms);

        assertThat(SbomWriter.problems(written)).isEmpty();
        JsonNode bom = JSON.readTree(written);
        assertThat(bom.path("metadata").path("component").path("hashes").path(0).path("content").asText()).isEqualTo("ab".repeat(32));
        assertThat(bom.path("metadata").path("component").toString()).contains(COMMIT).doesNotContain("os-packages-listed");
        JsonNode components = bom.path("components");
        assertThat(components).hasSize(2);
        assertThat(components.get(1).path("hashes").path(0).path("content").asText()).isEqualTo("b2".repeat(32));
        assertThat(components.get(1).path("properties").toString()).contains("strata:platform", "linux/arm64");
        assertThat(SbomWriter.componentCounts(written)).containsExactly(Map.entry("container", 2L));
    }

    @Test
    void theProvenanceNamesTheImageAndLeavesOutRequestFieldsThatAreNotSet() throws Exception {
        Map<String, Object> request = new HashMap<>();
        request.put("component", "app");
        // A request without target or release has nulls here: this crashed the step once (NullPointerException).
        request.put("target", null);
        byte[] statement = ProvenanceStatement.write(new ProvenanceInput("127.0.0.1:5000/team/app", DIGEST, request,
                "linux/amd64", "https://git.example/app.git", COMMIT, Map.of("debian:12", PARENT),
                List.of(new ProvenanceInput.RepoFile("https://repo.example/x.repo", "x.repo", "12".repeat(32))),
                "20260102-030405-abcdef", Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:05:05Z"),
                "0.1.0", Map.of("strata", "0.1.0", "buildah", "1.28.2")));

        assertThat(ProvenanceStatement.problems(statement, DIGEST)).isEmpty();
        assertThat(ProvenanceStatement.problems(statement, "sha256:" + "00".repeat(32)))
                .containsExactly("no subject has the image's digest sha256:" + "00".repeat(32));
        JsonNode predicate = JSON.readTree(statement).path("predicate");
        assertThat(predicate.path("buildDefinition").path("externalParameters").has("target")).isFalse();
        assertThat(predicate.path("buildDefinition").path("resolvedDependencies").toString())
                .contains("\"gitCommit\":\"" + COMMIT + "\"", "cd".repeat(32), "12".repeat(32), "/etc/yum.repos.d/x.repo");
        assertThat(predicate.path("runDetails").path("builder").path("id").asText()).isEqualTo("https://strata.io/builders/strata@0.1.0");
        assertThat(ProvenanceStatement.problems("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), DIGEST)).isNotEmpty();
    }
}
