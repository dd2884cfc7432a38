package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepoFixtureIT {
    @Test
    void clonedRepositoryHasTheCommitsBranchesAndTags(@TempDir Path dir) throws Exception {
        String first;
        String onFeature;
        try (GitRepoFixture repo = GitRepoFixture.create(dir.resolve("origin"))) {
            first = repo.write("Dockerfile", "FROM scratch\n").commit("first");
            repo.tag("v1").annotatedTag("v1-annotated", "release 1");
            onFeature = repo.branch("feature").write("Dockerfile", "FROM busybox\n").commit("on feature");

            assertThat(repo.head()).isEqualTo(onFeature);
            assertThat(repo.uri().getScheme()).isEqualTo("file");

            try (Git clone = Git.cloneRepository().setURI(repo.uri().toString())
                    .setDirectory(dir.resolve("clone").toFile()).call()) {
                Repository cloned = clone.getRepository();
                assertThat(cloned.resolve("refs/remotes/origin/main").name()).isEqualTo(first);
                assertThat(cloned.resolve("refs/remotes/origin/feature").name()).isEqualTo(onFeature);
                assertThat(cloned.resolve("refs/tags/v1").name()).isEqualTo(first);
                assertThat(cloned.resolve("refs/tags/v1-annotated^{commit}").name()).isEqualTo(first);
                assertThat(cloned.resolve("refs/tags/v1-annotated").name()).isNotEqualTo(first);
            }
        }
    }
}
