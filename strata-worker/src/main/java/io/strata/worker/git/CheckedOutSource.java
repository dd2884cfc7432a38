package io.strata.worker.git;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A source tree checked out at one commit.
 *
 * @param dir      the commit's files (no .git directory: the commit id is all later steps need)
 * @param commitId the full 40-character id of the checked-out commit
 * @param commitTime the commit's committer time: the source date of a reproducible build
 *                   (SOURCE_DATE_EPOCH), the same whoever builds it and when
 */
public record CheckedOutSource(Path dir, String commitId, Instant commitTime) {
    public CheckedOutSource {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(commitTime, "commitTime");
        if (commitId == null || !commitId.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("commitId must be a full 40-character id, was " + commitId);
        }
    }
}
