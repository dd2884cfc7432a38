package io.strata.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real build through the build service: the packaged {@code strata serve} with the local
 * engine (buildah with private storage, a registry on a free loopback port, a git repository), and
 * the packaged CLI submitting to it and reading the pushed image back.
 */
class ServeRealBuildIT {
    static RegistryFixture registry;
    static BuildParts parts;
    static BuildahFixture fixture;
    static String baseImage;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRealParts() {
        parts = BuildParts.start();
        registry = parts.registry();
        fixture = parts.buildah();
        baseImage = parts.baseImage();
    }

    @AfterAll
    static void stopRealParts() {
        if (parts != null) {
            parts.close();
        }
    }

    @Test
    void aBuildSubmittedToTheServerIsBuiltPushedAndItsImageReadBack() throws Exception {
        Path home = Files.createDirectories(dir.resolve("server"));
        Path config = Files.writeString(home.resolve("osbs.conf"), "[default]\nregistry_uri = http://" + registry.host()
                + "/v2\nstrata_home = " + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n");
        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=served/hello version=1\nRUN echo built by the service\n");
        String commit = repo.commit("served build");

        ChildEnvironment serverSide = ChildEnvironment.of(home);
        try (ServeIT.Served server = ServeIT.serve(dir, serverSide, "--config", config.toString())) {
            TestCli.Run created = PackagedCli.run(serverSide, "tokens", "create", "--user", "alice", "--config", config.toString());
            assertThat(created.exit()).as(created.err()).isZero();
            String token = created.out().strip();
            ChildEnvironment client = ChildEnvironment.of(Files.createDirectories(dir.resolve("client")))
                    .with("STRATA_HOME", dir.resolve("client/strata").toString());

            TestCli.Run built = PackagedCli.run(client, "build", "--server", server.url(), "--server-token", token,
                    "--component", "served-hello", "--git-uri", repo.uri().toString(), "--git-ref", commit, "--follow");
            assertThat(built.exit()).as(built.err() + "\nserver log:\n" + server.logText()).isZero();
            assertThat(built.err()).contains(": RUNNING").contains(": COMPLETE").contains("built by the service");
            String pullspec = built.out().strip();
            assertThat(pullspec).startsWith(registry.host() + "/").contains("@sha256:");

            String id = PackagedCli.run(client, "list-builds", "--server", server.url(), "--server-token", token)
                    .out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
            TestCli.Run image = PackagedCli.run(client, "get-build-image-id", id, "--server", server.url(),
                    "--server-token", token);
            assertThat(image.exit()).as(image.err()).isZero();
            assertThat(image.out().strip()).isEqualTo(pullspec);
            assertThat(server.logText()).doesNotContain(token);
        }
    }
}
