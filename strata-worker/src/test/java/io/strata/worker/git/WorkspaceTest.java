package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    @TempDir
    Path root;

    @Test
    void closeDeletesReadOnlyFilesAndDirectoriesButNotLinkTargets() throws Exception {
        Path outside = Files.writeString(root.resolve("outside.txt"), "keep me");
        Path dir;
        try (Workspace workspace = Workspace.create(root.resolve("workspaces"), "build-1")) {
            dir = workspace.dir();
            Path objects = Files.createDirectories(dir.resolve(".git/objects/ab"));
            Files.writeString(objects.resolve("cdef"), "object");
            Files.setPosixFilePermissions(objects.resolve("cdef"), PosixFilePermissions.fromString("r--r--r--"));
            Files.setPosixFilePermissions(objects, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.createSymbolicLink(dir.resolve("link"), outside);
            Files.createSymbolicLink(dir.resolve("dirlink"), root);
        }

        assertThat(dir).doesNotExist();
        assertThat(outside).hasContent("keep me");
    }

    @Test
    void twoBuildsCannotShareAWorkspace() throws Exception {
        try (Workspace first = Workspace.create(root, "build-2")) {
            assertThatThrownBy(() -> Workspace.create(root, "build-2")).isInstanceOf(FileAlreadyExistsException.class);
            assertThat(first.dir()).isDirectory();
        }
    }

    @Test
    void namesThatCouldEscapeTheRootAreRejected() {
        for (String name : new String[] {"../x", "a/b", ".hidden", ""}) {
            assertThatThrownBy(() -> Workspace.create(root, name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + name + "\"");
        }
    }
}
