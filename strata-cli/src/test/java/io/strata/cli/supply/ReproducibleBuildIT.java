package io.strata.cli.supply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.GitRepoFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commit, build args and release built twice, the second time by a clean builder (a
 * store and buildah storage of its own, nothing cached), push the same manifest: same digest, same
 * layers, same config. Only the unique build tag differs. With {@code strata_build_date =
 * wallclock} the digest is the build's own.
 */
class ReproducibleBuildIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BuildParts parts;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        parts = BuildParts.start();
    }

    @AfterAll
    static void stop() {
        if (parts != null) {
            parts.close();
        }
    }

    private Path builder(String name, String extra) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nregistry_uri = http://" + parts.registry().host() + "/v2\nstrata_home = "
                + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n" + extra);
        return config;
    }

    private JsonNode build(Path config, GitRepoFixture repo, String commit) throws Exception {
        TestCli.Run run = TestCli.in(config.getParent()).run("build", "--config", config.toString(), "--component", "repro",
                "--git-uri", repo.uri().toString(), "--git-ref", commit, "--release", "7", "--build-arg", "GREETING=hi",
                "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void theSameCommitBuiltAgainOnACleanBuilderHasTheSameDigest() throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nARG GREETING\nLABEL name=repro/app version=1\n"
                + "COPY hello.txt /srv/hello.txt\nRUN echo \"$GREETING\" > /srv/greeting\n");
        repo.write("hello.txt", "hello\n");
        String commit = repo.commit("reproducible");

        JsonNode first = build(builder("first", ""), repo, commit).path("outputs").path(0);
        JsonNode second = build(builder("second", ""), repo, commit).path("outputs").path(0);

        assertThat(second.path("digest").asText()).isEqualTo(first.path("digest").asText()).startsWith("sha256:");
        assertThat(second.path("layer_digests")).isEqualTo(first.path("layer_digests"));
        assertThat(second.path("tags").path(0).asText()).isNotEqualTo(first.path("tags").path(0).asText());
        assertThat(first.path("labels").path("build-date").asText()).isNotBlank();
    }
}
