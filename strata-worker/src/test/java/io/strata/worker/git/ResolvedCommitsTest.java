package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvedCommitsTest {
    private static final String COMMIT = "a".repeat(40);
    private static final String TREE = "b".repeat(40);

    @TempDir
    Path gitDir;

    @Test
    void aResolvedCommitIsFoundAgainForTheSamePathOnly() {
        var commits = new ResolvedCommits(gitDir);
        byte[] dockerfile = "FROM base:1\nRUN echo \u00e9\n".getBytes(StandardCharsets.UTF_8);

        commits.remember(new ResolvedCommit(COMMIT, TREE, Optional.of(dockerfile)), "Dockerfile");

        ResolvedCommit found = commits.find(COMMIT, "Dockerfile").orElseThrow();
        assertThat(found.commitId()).isEqualTo(COMMIT);
        assertThat(found.treeId()).isEqualTo(TREE);
        assertThat(found.file()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(dockerfile));
        assertThat(commits.find(COMMIT, "other/Dockerfile")).isEmpty();
        assertThat(commits.find("c".repeat(40), "Dockerfile")).isEmpty();
    }

    @Test
    void aCommitWithoutTheFileIsRememberedAsSuch() {
        var commits = new ResolvedCommits(gitDir);

        commits.remember(new ResolvedCommit(COMMIT, TREE, Optional.empty()), "Containerfile");

        assertThat(commits.find(COMMIT, "Containerfile")).hasValueSatisfying(found -> {
            assertThat(found.treeId()).isEqualTo(TREE);
            assertThat(found.file()).isEmpty();
        });
    }

    @Test
    void aFileCutShortOrNotWrittenByStrataIsIgnored() throws Exception {
        var commits = new ResolvedCommits(gitDir);
        commits.remember(new ResolvedCommit(COMMIT, TREE, Optional.of("FROM base:1\n".getBytes(StandardCharsets.UTF_8))),
                "Dockerfile");
        Path written = onlyFile();
        byte[] whole = Files.readAllBytes(written);

        Files.write(written, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();

        Files.writeString(written, "tree " + TREE + "\nnone\n");
        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();

        Files.writeString(written, "strata-resolved 1\ntree not-an-id\nnone\n");
        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();

        Files.writeString(written, "strata-resolved 1\ntree " + TREE + "\nnone\nmore");
        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();
    }

    /** Remembered once, not written again on every resolve through the repository; a damaged file is written anew. */
    @Test
    void aRememberedCommitIsNotWrittenAgainUnlessDamaged() throws Exception {
        var commits = new ResolvedCommits(gitDir);
        ResolvedCommit resolved = new ResolvedCommit(COMMIT, TREE, Optional.of("FROM base:1\n".getBytes(StandardCharsets.UTF_8)));
        commits.remember(resolved, "Dockerfile");
        Path written = onlyFile();
        java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(written, before);

        commits.remember(resolved, "Dockerfile");
        assertThat(Files.getLastModifiedTime(written)).isEqualTo(before);

        Files.writeString(written, "damaged");
        commits.remember(resolved, "Dockerfile");
        assertThat(commits.find(COMMIT, "Dockerfile")).hasValueSatisfying(found -> assertThat(found.treeId()).isEqualTo(TREE));
    }

    @Test
    void aLargeFileIsNotRemembered() {
        var commits = new ResolvedCommits(gitDir);

        commits.remember(new ResolvedCommit(COMMIT, TREE, Optional.of(new byte[ResolvedCommits.MAX_FILE_BYTES + 1])),
                "Dockerfile");

        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();
    }

    @Test
    void aPlaceThatCannotBeWrittenCostsOnlyTheMemory() throws Exception {
        Files.writeString(gitDir.resolve("strata-resolved"), "a file where the directory would be");
        var commits = new ResolvedCommits(gitDir);

        commits.remember(new ResolvedCommit(COMMIT, TREE, Optional.empty()), "Dockerfile");

        assertThat(commits.find(COMMIT, "Dockerfile")).isEmpty();
        try (Stream<Path> files = Files.list(gitDir)) {
            assertThat(files).containsExactly(gitDir.resolve("strata-resolved"));
        }
    }

    private Path onlyFile() throws Exception {
        try (Stream<Path> files = Files.list(gitDir.resolve("strata-resolved"))) {
            return files.reduce((a, b) -> {
                throw new AssertionError("more than one file: " + a + ", " + b);
            }).orElseThrow();
        }
    }
}
