package io.strata.local.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.config.StrataSettings;
import io.strata.core.request.BuildRequest;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import io.strata.testkit.BuildahFixture;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.worker.buildah.StrataImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prune against a real store and real buildah storage: an old finished build loses its record,
 * log, workspace, secret file and image; a young build, a waiting one and their files stay; an image
 * a container still uses is kept and said so; an image of a person is never touched; a leftover
 * workspace of a build the store does not know goes once old. What was freed is counted.
 */
class BuildPrunerIT {
    private static BuildahFixture buildah;

    @TempDir
    Path home;

    @BeforeAll
    static void storage() {
        buildah = BuildahFixture.create();
    }

    @AfterAll
    static void removeStorage() {
        buildah.close();
    }

    private static BuildRequest request() {
        return BuildRequest.builder().component("hello").gitUri("https://git.example.com/hello.git").gitRef("main")
                .target("candidate").platforms(List.of("x86_64")).user("alice").build();
    }

    /** An image as a build names it: localhost/COMPONENT:TARGET-<id>, one small layer. */
    private static String image(String name) throws Exception {
        String container = buildah.buildah("from", "scratch").strip();
        // Removed once copied: a run of this test leaves nothing in /tmp.
        Path file = Files.writeString(Files.createTempFile("layer", ".txt"), "x".repeat(4096));
        try {
            buildah.buildah("copy", container, file.toString(), "/data.txt");
        } finally {
            Files.delete(file);
        }
        buildah.buildah("commit", "--rm", container, name);
        return name;
    }

    private static void age(Path path) throws Exception {
        Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    }

    @Test
    void oldFinishedBuildsGoWithEverythingTheyLeftAndTheRestStays() throws Exception {
        try (JdbcBuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(), Optional.empty())) {
            BuildId old = store.create(request(), Map.of(), "{}").id();
            store.transition(old, BuildState.RUNNING, Optional.empty());
            store.appendLog(old, List.of(new LogLine(1, Instant.now(), "build", "a line of the old build")));
            store.transition(old, BuildState.COMPLETE, Optional.empty());
            BuildId held = store.create(request(), Map.of(), "{}").id();
            store.transition(held, BuildState.FAILED, Optional.of(new io.strata.core.build.Failure("X_FAILED", "m", "h")));
            BuildId waiting = store.create(request(), Map.of(), "{}").id();
            String unknown = "20200101-000000-abcdef";

            Path workspaces = Files.createDirectories(home.resolve("workspaces"));
            Path secrets = Files.createDirectories(home.resolve("secrets"));
            Files.writeString(Files.createDirectories(workspaces.resolve(old.value()).resolve("src")).resolve("Dockerfile"),
                    "FROM scratch\n");
            Files.writeString(secrets.resolve(old.value() + ".json"), "{\"git_uri\":\"https://u:p@example.com\"}");
            Files.writeString(secrets.resolve(waiting.value() + ".json"), "{}");
            Path stray = Files.createDirectories(workspaces.resolve(unknown));
            Files.writeString(stray.resolve("left"), "by a crash");
            age(stray);
            Path youngStray = Files.createDirectories(workspaces.resolve("20991231-000000-abcdef"));
            // Younger than the cut-off of the prune's clock, an hour ahead of this one.
            Files.setLastModifiedTime(youngStray, FileTime.from(Instant.now().plus(Duration.ofHours(2))));

            image("localhost/hello:candidate-" + old.value());
            String inUse = image("localhost/hello:candidate-" + held.value());
            String container = buildah.buildah("from", inUse).strip();
            image("localhost/mine:latest");

            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            StrataImages images = new StrataImages(BuildahOptions.privateStorage(buildah.storageRoot(), buildah.runRoot()));
            // Everything finished so far is older than the cut-off; the waiting build is never finished.
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
            PruneReport report = new BuildPruner(store, home, Optional.of(images), later,
                    new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).prune(Duration.ofMinutes(30));

            assertThat(report.builds()).isEqualTo(2);
            assertThat(report.logLines()).isEqualTo(1);
            assertThat(report.logBytes()).isEqualTo("a line of the old build".length());
            assertThat(report.workspaces()).as("the old build's and the stray one").isEqualTo(2);
            assertThat(report.workspaceBytes()).isEqualTo("FROM scratch\n".length() + "by a crash".length());
            assertThat(report.secrets()).isEqualTo(1);
            assertThat(report.images()).isEqualTo(1);
            assertThat(report.imageBytes()).isPositive();
            assertThat(report.imagesKept()).as("a container uses it").isEqualTo(1);
            assertThat(report.summary()).contains("2 records", "1 images (", "1 images kept (in use)", "freed");

            assertThat(store.find(old)).isEmpty();
            assertThat(store.find(held)).isEmpty();
            assertThat(store.find(waiting)).isPresent();
            assertThat(workspaces.resolve(old.value())).doesNotExist();
            assertThat(stray).doesNotExist();
            assertThat(youngStray).exists();
            assertThat(secrets.resolve(old.value() + ".json")).doesNotExist();
            assertThat(secrets.resolve(waiting.value() + ".json")).exists();
            String left = buildah.buildah("images", "--format", "{{.Name}}:{{.Tag}}");
            assertThat(left).contains("localhost/mine:latest").contains("candidate-" + held.value())
                    .doesNotContain("candidate-" + old.value());

            buildah.buildah("rm", container);
            PruneReport again = new BuildPruner(store, home, Optional.of(images), later,
                    new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).prune(Duration.ofMinutes(30));
            assertThat(again.builds()).isZero();
            assertThat(again.images()).as("no longer in use, and its build is gone").isEqualTo(1);
            assertThat(buildah.buildah("images", "--format", "{{.Name}}:{{.Tag}}")).contains("localhost/mine:latest")
                    .doesNotContain("candidate-");
        }
    }
}
