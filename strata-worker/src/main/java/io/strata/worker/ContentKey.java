package io.strata.worker;

import java.util.Map;
import java.util.Objects;

/**
 * The content key of a build (docs/builds.md, "Build avoidance"): a SHA-256 over every input that
 * decides the image's layers and config except the per-build labels ({@code release},
 * {@code build-date}). Two builds with the same key produce the same layers.
 *
 * @param value         {@code sha256:<hex>}
 * @param commitId      the commit the ref named when the key was made
 * @param treeId        that commit's root tree
 * @param pinnedParents each parent image as written -> the digest-pinned reference the key holds
 * @param runsCommands  whether the Dockerfile has a RUN instruction (not part of the key: it follows from it)
 */
public record ContentKey(String value, String commitId, String treeId, Map<String, String> pinnedParents,
        boolean runsCommands) {
    public ContentKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(commitId, "commitId");
        Objects.requireNonNull(treeId, "treeId");
        pinnedParents = Map.copyOf(pinnedParents);
    }

    /**
     * Whether a build that ran at {@code builtCommit} on {@code builtParents} built exactly what this
     * key names: a branch or a parent tag may have moved between keying and building.
     */
    public boolean matches(String builtCommit, Map<String, String> builtParents) {
        return commitId.equals(builtCommit) && pinnedParents.equals(builtParents);
    }
}
