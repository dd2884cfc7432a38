package io.strata.local.store;

import io.strata.core.build.BuildId;
import java.util.List;

/**
 * What {@link JdbcBuildStore#prune} removed: the builds (with their transitions, steps, outputs and
 * log) and the characters of log text that went with them.
 */
public record PrunedRecords(List<BuildId> builds, long logLines, long logBytes) {
    public PrunedRecords {
        builds = List.copyOf(builds);
    }
}
