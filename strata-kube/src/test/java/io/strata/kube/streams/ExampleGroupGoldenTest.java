package io.strata.kube.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Renders examples/streams-group and compares it with the reviewed output checked in beside it. After
 * an intended change, regenerate with {@code -Dstrata.golden.update=true}, then review the diff by hand.
 */
class ExampleGroupGoldenTest {

    static Path exampleGroup() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/streams-group"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("examples/streams-group not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("examples/streams-group");
    }

    static Path expectedFile() {
        return exampleGroup().resolve("expected/gen-buildconfigs.yaml");
    }

    @Test
    void exampleGroupRendersToTheReviewedYaml() throws Exception {
        var directory = new GroupDirectory(exampleGroup());
        GroupConfig group = directory.readGroupConfig();
        GeneratedObjects objects = new StreamsGenerator()
                .generate(group, directory.readStreamsConfig(group), directory, StreamsOptions.allStreams());
        String yaml = new StreamsWriter().render(objects);

        if (Boolean.getBoolean("strata.golden.update")) {
            AtomicFiles.writeString(expectedFile(), yaml);
        }
        assertThat(objects.summary()).isEqualTo("6 BuildConfigs and 1 DaemonSet");
        assertThat(yaml).isEqualTo(Files.readString(expectedFile()));
    }

    @Test
    void namedStreamsOfTheExampleGroupRenderWithoutDaemonSet() throws Exception {
        var directory = new GroupDirectory(exampleGroup());
        GroupConfig group = directory.readGroupConfig();

        GeneratedObjects objects = new StreamsGenerator().generate(group, directory.readStreamsConfig(group), directory,
                new StreamsOptions(List.of("golang", "etcd"), false));

        assertThat(objects.summary()).isEqualTo("1 BuildConfig");
    }
}
