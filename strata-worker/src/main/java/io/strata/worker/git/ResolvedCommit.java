package io.strata.worker.git;

import java.util.Objects;
import java.util.Optional;

/**
 * What a ref names, read from the repository's cache without a checkout.
 *
 * @param commitId the full commit id
 * @param treeId   the id of its root tree: the same for two commits with the same files
 * @param file     the bytes of the file asked for; empty when the commit has no regular file there
 */
public record ResolvedCommit(String commitId, String treeId, Optional<byte[]> file) {
    public ResolvedCommit {
        Objects.requireNonNull(commitId, "commitId");
        Objects.requireNonNull(treeId, "treeId");
        Objects.requireNonNull(file, "file");
    }
}
