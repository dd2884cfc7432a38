package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * buildah's image-id file goes beside a Dockerfile kept outside the context (a build's workspace), so a killed
 * build leaves it there, not in the temporary directory; never into the context itself.
 */
class BuildahSideFilesTest {
    @Test
    void aDockerfileOutsideTheContextKeepsTheFileBesideIt() {
        BudSpec spec = BudSpec.builder(Path.of("/w/build-1/source")).dockerfile(Path.of("/w/build-1/Dockerfile.strata")).build();

        assertThat(Buildah.sideFilesDir(spec)).contains(Path.of("/w/build-1"));
    }

    @Test
    void aDockerfileInsideTheContextLeavesTheFileInTheTemporaryDirectory() {
        BudSpec inRoot = BudSpec.builder(Path.of("/w/build-1/source")).dockerfile(Path.of("/w/build-1/source/Dockerfile")).build();
        BudSpec below = BudSpec.builder(Path.of("/w/build-1/source")).dockerfile(Path.of("/w/build-1/source/images/a/Dockerfile"))
                .build();
        BudSpec dotted = BudSpec.builder(Path.of("/w/build-1/source")).dockerfile(Path.of("/w/build-1/source/./x/../Dockerfile"))
                .build();

        assertThat(Buildah.sideFilesDir(inRoot)).isEmpty();
        assertThat(Buildah.sideFilesDir(below)).isEmpty();
        assertThat(Buildah.sideFilesDir(dotted)).isEmpty();
    }
}
