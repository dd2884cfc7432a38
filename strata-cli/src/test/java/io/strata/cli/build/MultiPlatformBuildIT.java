package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.GitRepoFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `strata build --platforms x86_64,aarch64,s390x,ppc64le` for real: one worker build per platform,
 * the foreign ones' RUN steps under QEMU user emulation, on a base image index of four busybox
 * images (each its own platform's busybox). What was pushed is checked independently of Strata:
 * skopeo reads the index, and each image's configuration and RUN layer are read from the registry.
 */
class MultiPlatformBuildIT {
    static final List<String> PLATFORMS = List.of("x86_64", "aarch64", "s390x", "ppc64le");
    /** Koji name -> OCI architecture, and what `uname -m` says on it. */
    static final Map<String, String> OCI = Map.of("x86_64", "amd64", "aarch64", "arm64", "s390x", "s390x",
            "ppc64le", "ppc64le");
    static final ObjectMapper JSON = new ObjectMapper();
    static BuildParts parts;
    /** A base image index of amd64 and arm64 only. */
    static final String TWO_PLATFORM_BASE = "base/two:1";

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startRealParts() {
        parts = BuildParts.start(List.of("amd64", "arm64", "s390x", "ppc64le"));
        parts.buildah().makeManifestListBaseImage(TWO_PLATFORM_BASE, parts.registry());
    }

    @AfterAll
    static void stopRealParts() {
        if (parts != null) {
            parts.close();
        }
    }

    Run strata(String... args) {
        TestCli.Run run = TestCli.in(home).run(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    /** Builds a repository whose Dockerfile ends with {@code run}, for every platform. */
    Run build(String name, String run) throws IOException {
        return build(name, run, parts.baseImage(), PLATFORMS, "");
    }

    Run build(String name, String run, String baseImage, List<String> platforms, String moreConfig) throws IOException {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, """
                [default]
                registry_uri = http://%s/v2
                vendor = Strata Multi-Platform Tests
                strata_home = %s
                strata_registry_auth_file = %s
                strata_buildah_root = %s
                """.formatted(parts.registry().host(), home.resolve("strata"),
                parts.registry().writeAuthFile(home.resolve("auth.json")), home.resolve("buildah")) + moreConfig);
        GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"));
        repo.write("Dockerfile", """
                ARG BASE_IMAGE
                FROM $BASE_IMAGE
                LABEL name="%s" version="1.0"
                %s
                """.formatted(name, run));
        repo.commit("initial");
        return strata("build", "--config", config.toString(), "--component", name.replace('/', '-'),
                "--git-uri", repo.uri().toString(), "--git-ref", repo.head(), "--build-arg",
                "BASE_IMAGE=" + baseImage, "--platforms", String.join(",", platforms));
    }

    String onlyBuildId() throws IOException {
        JsonNode builds = JSON.readTree(strata("list-builds", "--config", home.resolve("osbs.conf").toString(), "--json").out());
        assertThat(builds).as("list-builds lists the orchestrator only").hasSize(1);
        return builds.get(0).path("id").asText();
    }

    JsonNode record(String id) throws IOException {
        return JSON.readTree(strata("get-build", "--config", home.resolve("osbs.conf").toString(), id, "--json").out());
    }

    @Test
    void fourPlatformsJoinIntoOneIndexWhoseImagesRanTheirOwnPlatformsRunStep() throws Exception {
        Run run = build("multi/hello", "RUN uname -m > /arch");

        assertThat(run.exit()).as(run.err()).isZero();
        String pullspec = run.out().strip();
        assertThat(pullspec).startsWith(parts.registry().host() + "/multi/hello@sha256:");
        String indexDigest = pullspec.substring(pullspec.indexOf('@') + 1);

        // Independently of Strata: the primary tag holds an index of four manifests, the printed digest's bytes.
        String raw = parts.registry().skopeoInspectRaw("multi/hello:1.0-1");
        assertThat("sha256:" + sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(indexDigest);
        JsonNode index = JSON.readTree(raw);
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests")).hasSize(4);
        for (int i = 0; i < PLATFORMS.size(); i++) {
            String platform = PLATFORMS.get(i);
            JsonNode entry = index.path("manifests").get(i);
            assertThat(entry.path("platform").path("architecture").asText()).isEqualTo(OCI.get(platform));
            JsonNode manifest = JSON.readTree(parts.registry().skopeoInspectRaw("multi/hello@" + entry.path("digest").asText()));
            JsonNode config = JSON.readTree(parts.registry().blob("multi/hello", manifest.path("config").path("digest").asText()));
            assertThat(config.path("architecture").asText()).as(platform).isEqualTo(OCI.get(platform));
            JsonNode layers = manifest.path("layers");
            byte[] runLayer = parts.registry().blob("multi/hello", layers.get(layers.size() - 1).path("digest").asText());
            assertThat(fileInLayer(runLayer, "arch")).as("uname -m of the " + platform + " image").contains(platform + "\n");
        }
        List<String> tags = parts.registry().tags("multi/hello");
        String id = onlyBuildId();
        assertThat(tags).contains("build-" + id, "1.0-1", "latest", "build-" + id + "-x86_64", "build-" + id + "-aarch64",
                "build-" + id + "-s390x", "build-" + id + "-ppc64le");
        JsonNode latest = parts.registry().skopeoInspect("multi/hello:latest");
        assertThat(latest.path("Digest").asText()).as("the floating tag is the index too").isEqualTo(indexDigest);
        assertThat(latest.path("Architecture").asText()).as("skopeo picks this machine's image from it").isEqualTo("amd64");

        JsonNode record = record(id);
        assertThat(record.path("state").asText()).isEqualTo("COMPLETE");
        assertThat(record.path("outputs").get(0).path("digest").asText()).isEqualTo(indexDigest);
        JsonNode workers = record.path("workers");
        assertThat(workers).hasSize(4);
        for (int i = 0; i < PLATFORMS.size(); i++) {
            assertThat(workers.get(i).path("platform").asText()).isEqualTo(PLATFORMS.get(i));
            assertThat(workers.get(i).path("state").asText()).isEqualTo("COMPLETE");
            assertThat(workers.get(i).path("outputs").get(0).path("digest").asText())
                    .isEqualTo(index.path("manifests").get(i).path("digest").asText());
        }
        JsonNode koji = JSON.readTree(record.path("koji_metadata").asText());
        assertThat(koji.path("output")).hasSize(4);
        assertThat(koji.path("buildroots")).hasSize(4);
        assertThat(koji.path("output").get(2).path("arch").asText()).isEqualTo("s390x");
        assertThat(koji.path("output").get(2).path("buildroot_id").asInt()).isEqualTo(3);

        // The index has its own SBOM and provenance (subject: the index), found by its digest through the
        // referrers tag, independently of Strata; strata verify checks them and each platform image's.
        JsonNode referrers = JSON.readTree(parts.registry().skopeoInspectRaw("multi/hello:" + indexDigest.replace(':', '-')));
        assertThat(referrers.path("manifests")).extracting(entry -> entry.path("artifactType").asText())
                .containsExactlyInAnyOrder("application/vnd.cyclonedx+json", "application/vnd.in-toto+json");
        JsonNode indexProvenance = JSON.readTree(parts.registry().skopeoInspectRaw("multi/hello@"
                + referrers.path("manifests").get(1).path("digest").asText()));
        assertThat(indexProvenance.path("subject").path("digest").asText()).isEqualTo(indexDigest);
        assertThat(record.path("outputs").get(0).path("attestations")).hasSize(2);
        Run verified = strata("verify", "--config", home.resolve("osbs.conf").toString(), pullspec);
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out().lines().filter(line -> line.startsWith("image "))).hasSize(1 + PLATFORMS.size());
        assertThat(verified.out()).contains("image       " + pullspec).doesNotContain("MISSING", "INVALID");

        Run logs = strata("build-logs", "--config", home.resolve("osbs.conf").toString(), id);
        assertThat(logs.out()).contains("[s390x] platform linux/s390x runs emulated", "[x86_64] platform linux/amd64 runs natively",
                "[orchestrator] pushed image index");
    }

    @Test
    void onePlatformFailingLetsTheOthersFinishAndPushesNoIndexAndNoneOfTheBuildsTags() throws Exception {
        Run run = build("multi/fails", "RUN test \"$(uname -m)\" != s390x");

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("[PLATFORMS_FAILED]", "s390x", "fix:");
        String id = onlyBuildId();
        JsonNode record = record(id);
        assertThat(record.path("state").asText()).isEqualTo("FAILED");
        assertThat(record.path("failure").path("message").asText()).contains("1 of 4 platforms failed: s390x FAILED");
        JsonNode workers = record.path("workers");
        for (int i = 0; i < PLATFORMS.size(); i++) {
            assertThat(workers.get(i).path("state").asText()).as(PLATFORMS.get(i))
                    .isEqualTo(PLATFORMS.get(i).equals("s390x") ? "FAILED" : "COMPLETE");
        }
        assertThat(record.path("outputs")).isEmpty();
        // The sha256-<hex> tags are the referrers tags of the worker images' own SBOM and provenance
        // (docs/supply-chain.md): part of those images, not tags of the build.
        assertThat(parts.registry().tags("multi/fails")).filteredOn(tag -> !tag.startsWith("sha256-"))
                .containsExactlyInAnyOrder("build-" + id + "-x86_64", "build-" + id + "-aarch64", "build-" + id + "-ppc64le");
    }

    @Test
    void groupManifestsMakesTheIndexADockerManifestList() throws Exception {
        Run run = build("multi/grouped", "RUN true", parts.registry().reference(TWO_PLATFORM_BASE),
                List.of("x86_64", "aarch64"), "group_manifests = true\n");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode list = JSON.readTree(parts.registry().skopeoInspectRaw("multi/grouped:1.0-1"));
        assertThat(list.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(list.path("manifests")).hasSize(2);
        assertThat(list.path("manifests").get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void aParentWithoutAPlatformFailsThatPlatformWithItsReason() throws Exception {
        Run run = build("multi/noparent", "RUN true", parts.registry().reference(TWO_PLATFORM_BASE),
                List.of("x86_64", "s390x"), "");

        assertThat(run.exit()).isEqualTo(CliRunner.EXIT_FAILURE);
        JsonNode workers = record(onlyBuildId()).path("workers");
        assertThat(workers.get(0).path("state").asText()).isEqualTo("COMPLETE");
        JsonNode failure = workers.get(1).path("failure");
        assertThat(failure.path("reason").asText()).isEqualTo("PLATFORM_NOT_IN_MANIFEST_LIST");
        assertThat(failure.path("message").asText()).contains("base/two", "linux/s390x", "linux/amd64, linux/arm64");
        assertThat(run.err()).contains("s390x FAILED PLATFORM_NOT_IN_MANIFEST_LIST");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A regular file's content in a gzipped tar layer, by its path (with or without "./"). */
    private static Optional<String> fileInLayer(byte[] layer, String path) throws IOException {
        try (InputStream tar = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            byte[] header = new byte[512];
            while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").strip(), 8);
                byte[] content = tar.readNBytes((int) size);
                tar.skipNBytes((512 - size % 512) % 512);
                if (name.equals(path) || name.equals("./" + path)) {
                    return Optional.of(new String(content, StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }
}
