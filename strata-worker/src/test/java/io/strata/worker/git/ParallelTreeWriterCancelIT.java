package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.git.GitCheckoutException.Failure;
import io.strata.testkit.GitRepoFixture;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkout interrupted while its threads write files ends CANCELLED and leaves no directory behind. */
class ParallelTreeWriterCancelIT {
    @org.junit.jupiter.api.AfterEach
    void awaitSpareTrees() {
        SpareTree.awaitRefills(); // before @TempDir removes the caches
    }

    @TempDir
    Path root;

    @Test
    void interruptedWhileWritingFilesIsCancelledAndTheDirectoryIsGone() throws Exception {
        try (GitRepoFixture repo = GitRepoFixture.create(root.resolve("repo"))) {
            for (int i = 0; i < 3000; i++) {
                repo.write("d" + (i % 30) + "/f" + i, "file " + i + "\n".repeat(100));
            }
            repo.commit("many files");
            Path dir = root.resolve("ws");
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread build = Thread.ofPlatform().start(() -> {
                try {
                    new GitCheckout(repo.uri(), "main", dir, root.resolve("caches")).threads(2).progress(line -> {
                        if (line.startsWith("Listed")) {
                            Thread.currentThread().interrupt(); // as a cancel does, just as the writers start
                        }
                    }).call();
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            build.join();

            assertThat(outcome.get()).isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.CANCELLED);
                assertThat(e.getSuppressed()).as("failures to remove the directory").isEmpty();
            });
            assertThat(dir).doesNotExist();
        }
    }
}
