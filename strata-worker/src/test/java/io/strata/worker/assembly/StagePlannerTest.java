package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Dockerfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StagePlannerTest {
    private static final String BASE = "registry.example:5000/base/img@sha256:" + "a".repeat(64);

    @TempDir
    Path context;
    private final AtomicInteger treeLoads = new AtomicInteger();

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(context.resolve("app/sub"));
        Files.writeString(context.resolve("app/sub/f"), "f");
        Files.writeString(context.resolve("tool"), "t");
        try (var out = new GZIPOutputStream(Files.newOutputStream(context.resolve("bundle.tgz")))) {
            out.write("x".getBytes());
        }
    }

    /** A base image with /usr/bin, /bin -> usr/bin and a file /etc/motd. */
    private BaseTree base() throws java.io.IOException {
        treeLoads.incrementAndGet();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(bytes, 0)) {
            writer.directory("usr", 0755, 0, 0);
            writer.directory("usr/bin", 0755, 0, 0);
            writer.symlink("bin", "usr/bin", 0, 0);
            writer.directory("etc", 0755, 0, 0);
            writer.file("etc/motd", 0644, 0, 0, 0, new ByteArrayInputStream(new byte[0]));
        }
        BaseTree tree = BaseTree.empty();
        tree.apply(new ByteArrayInputStream(bytes.toByteArray()));
        return tree;
    }

    private StagePlanner.Assessment assess(String... lines) throws Exception {
        return StagePlanner.assess(Dockerfile.parse(String.join("\n", lines) + "\n"), Map.of(), context, this::base);
    }

    private String refusal(String... lines) throws Exception {
        return ((StagePlanner.Assessment.NotAssemblable) assess(lines)).reason();
    }

    private AssemblyPlan plan(String... lines) throws Exception {
        return ((StagePlanner.Assessment.Assemblable) assess(lines)).plan();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RUN true | line 2 (RUN) is not COPY, ADD or metadata",
        "COPY --from=build /x /y/ | line 2 (COPY): --from is not assembled",
        "COPY --chown=app:app tool /y/ | line 2 (COPY): --chown is not numeric user:group",
        "COPY --chown=1000 tool /y/ | line 2 (COPY): --chown is not numeric user:group",
        "ADD https://example.com/x /y/ | line 2 (ADD): https://example.com/x is not a file of the context",
        "ADD bundle.tgz /y/ | line 2 (ADD): bundle.tgz is an archive, which ADD unpacks",
        "COPY missing /y/ | line 2 (COPY): missing does not exist in the context",
        "COPY ../outside /y/ | line 2 (COPY): ../outside",
        "COPY tool /bin/tool | line 2 (COPY): /bin is a symbolic link or a file in the image",
        "HEALTHCHECK CMD true | line 2 (HEALTHCHECK) is not COPY, ADD or metadata",
        "ONBUILD RUN true | line 2 (ONBUILD) is not COPY, ADD or metadata",
    })
    void whatOnlyBuildahCanBuildGoesToBuildahWithTheReason(String instruction, String reason) throws Exception {
        assertThat(refusal("FROM " + BASE, instruction)).startsWith(reason.strip());
    }

    @Test
    void moreThanOneStageUnpinnedBasesAndIgnoreFilesGoToBuildah() throws Exception {
        assertThat(refusal("FROM " + BASE + " AS a", "COPY tool /t/", "FROM " + BASE, "COPY tool /t/"))
                .isEqualTo("the Dockerfile has more than one stage");
        assertThat(refusal("FROM registry.example:5000/base/img:1", "COPY tool /t/"))
                .isEqualTo("the base image registry.example:5000/base/img:1 is not pinned to a digest");
        assertThat(refusal("FROM " + BASE, "ENV A=b")).startsWith("the stage copies nothing");
        Files.writeString(context.resolve(".dockerignore"), "*.tgz\n");
        assertThat(refusal("FROM " + BASE, "COPY tool /t/")).isEqualTo("the context has a .dockerignore");
    }

    @Test
    void theBaseTreeIsReadOnlyWhenBuildahsResultDependsOnIt() throws Exception {
        plan("FROM " + BASE, "COPY tool /opt/", "COPY app /srv/app", "COPY tool app/sub/f /many/");
        assertThat(treeLoads).hasValue(0);

        AssemblyPlan intoExisting = plan("FROM " + BASE, "WORKDIR /usr", "COPY tool bin", "COPY tool /etc/motd");
        CopyInstruction first = ((AssemblyPlan.Step.Copy) intoExisting.steps().get(1)).copy();
        CopyInstruction second = ((AssemblyPlan.Step.Copy) intoExisting.steps().get(2)).copy();
        assertThat(first.destination()).isEqualTo("/usr/bin");
        assertThat(first.intoDirectory()).isTrue();
        assertThat(second.intoDirectory()).isFalse();
        assertThat(treeLoads).hasValue(1);
    }

    @Test
    void directoriesACopyWithAnOwnerMakesAreListedParentsFirstAndOnlyWhenMissing() throws Exception {
        AssemblyPlan plan = plan("FROM " + BASE, "ARG UID=7", "COPY --chown=${UID}:8 tool /usr/share/tools/",
                "COPY --chown=7:8 app /usr/share/tools/app");
        CopyInstruction tool = ((AssemblyPlan.Step.Copy) plan.steps().get(1)).copy();
        CopyInstruction app = ((AssemblyPlan.Step.Copy) plan.steps().get(2)).copy();
        assertThat(tool.createdDirectories()).containsExactly(new CopyInstruction.CreatedDirectory("usr/share", 7, 8),
                new CopyInstruction.CreatedDirectory("usr/share/tools", 7, 8));
        assertThat(tool.uid()).isEqualTo(7);
        assertThat(app.createdDirectories()).isEmpty();
    }

    @Test
    void theDirectoriesOfAWorkdirGoIntoTheNextLayerOwnedByTheUserOfTheTime() throws Exception {
        AssemblyPlan plan = plan("FROM " + BASE, "WORKDIR /usr/app", "USER 1000:1001", "WORKDIR /home/me/work",
                "COPY tool /opt/", "WORKDIR /never/in/a/layer");
        CopyInstruction copy = ((AssemblyPlan.Step.Copy) plan.steps().get(3)).copy();
        assertThat(copy.createdDirectories()).containsExactly(new CopyInstruction.CreatedDirectory("usr/app", 0, 0),
                new CopyInstruction.CreatedDirectory("home", 1000, 1001),
                new CopyInstruction.CreatedDirectory("home/me", 1000, 1001),
                new CopyInstruction.CreatedDirectory("home/me/work", 1000, 1001));
        assertThat(refusal("FROM " + BASE, "USER app", "WORKDIR /srv", "COPY tool /opt/"))
                .isEqualTo("line 4 (COPY): WORKDIR /srv is made for USER app, whose numeric user and group only the"
                        + " base image's /etc/passwd knows");
        assertThat(refusal("FROM " + BASE, "WORKDIR /bin/x", "COPY tool /opt/"))
                .startsWith("line 3 (COPY): WORKDIR /bin/x passes /bin, a symbolic link or file of the image");
    }

    @Test
    void metadataIsExpandedAsTheBuildExpandsIt() throws Exception {
        AssemblyPlan plan = plan("FROM " + BASE, "ARG V=1", "ENV HOME_DIR=/opt/x", "LABEL version=$V",
                "COPY tool $HOME_DIR/", "WORKDIR $HOME_DIR", "WORKDIR sub", "EXPOSE 80 53/udp", "CMD run now");
        List<AssemblyPlan.Step> steps = plan.steps();
        assertThat(((AssemblyPlan.Step.Metadata) steps.get(2)).edit()).isEqualTo(new ConfigEdit.Labels(Map.of("version", "1")));
        assertThat(((AssemblyPlan.Step.Copy) steps.get(3)).copy().destination()).isEqualTo("/opt/x/");
        assertThat(((AssemblyPlan.Step.Metadata) steps.get(5)).edit()).isEqualTo(new ConfigEdit.WorkingDir("/opt/x/sub"));
        assertThat(((AssemblyPlan.Step.Metadata) steps.get(6)).edit()).isEqualTo(new ConfigEdit.Expose(List.of("80/tcp", "53/udp")));
        assertThat(((AssemblyPlan.Step.Metadata) steps.get(7)).edit()).isEqualTo(new ConfigEdit.Cmd(List.of("/bin/sh", "-c", "run now")));
    }
}
