package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.registry.Platform;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * osbs-client's watch-build and get-build-image-id for local builds, against a real build: the build
 * runs in its own `strata build` process, another command follows it from the store to its end and
 * then asks for the image it pushed.
 */
class WatchBuildIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void watchBuildFollowsABuildInAnotherProcessAndGetBuildImageIdPrintsItsImage() throws Exception {
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("repo"))) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            repo.write("Dockerfile", "FROM " + registry.reference("base/busybox:1") + "\n"
                    + "LABEL name=watch/me version=1\nRUN sleep 2 && echo watched > /watched.txt\n");
            String commit = repo.commit("watched");
            Path config = home.resolve("osbs.conf");
            Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\nstrata_home = "
                    + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");
            TestCli cli = TestCli.in(home);

            Process build = PackagedCli.builder(ChildEnvironment.of(home), "build", "--config", config.toString(),
                    "--component", "watch-me", "--git-uri", repo.uri().toString(), "--git-ref", commit)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String id = awaitFirstBuildId(cli, config);
            TestCli.Run watch = cli.run("watch-build", "--config", config.toString(), id);
            String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

            assertThat(build.waitFor()).isZero();
            assertThat(watch.exit()).as(watch.err()).isZero();
            assertThat(watch.err()).contains("build " + id + ": COMPLETE", "[buildah_build] succeeded", "[tag_and_push] succeeded");
            assertThat(watch.out().strip()).isEqualTo(built).startsWith(registry.host() + "/watch/me@sha256:");

            TestCli.Run imageId = cli.run("get-build-image-id", "--config", config.toString(), id);
            assertThat(imageId.exit()).as(imageId.err()).isZero();
            assertThat(imageId.out()).isEqualTo(built + "\n");
            JsonNode json = JSON.readTree(cli.run("get-build-image-id", "--config", config.toString(), id, "--json").out());
            JsonNode image = json.path(Platform.current().kojiArch());
            assertThat(image.path("pullspec").asText()).isEqualTo(built);
            assertThat(built).endsWith("@" + image.path("digest").asText());
            assertThat(image.path("tags").toString()).contains("1-1");
        }
    }

    /** The build process creates its record within moments of starting; wait for it without a time limit of our own. */
    private static String awaitFirstBuildId(TestCli cli, Path config) throws Exception {
        while (true) {
            JsonNode builds = JSON.readTree(cli.run("list-builds", "--config", config.toString(), "--json").out());
            if (!builds.isEmpty()) {
                return builds.get(0).path("id").asText();
            }
            Thread.sleep(100);
        }
    }
}
