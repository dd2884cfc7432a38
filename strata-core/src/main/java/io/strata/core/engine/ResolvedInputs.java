package io.strata.core.engine;

import java.util.Map;
import java.util.Objects;

/**
 * What was resolved about a build's inputs before its worker started (build avoidance's content key
 * does it): the commit the git ref named and, for the build's platform, each parent image as written
 * in the Dockerfile at that commit mapped to its digest-pinned reference. The worker's
 * check_out_source checks out that commit instead of resolving the ref again (a commit id names its
 * content, so it is the same source; the cache still fetches it when it lacks it), and pin_base_images
 * takes these pins instead of asking the registry again: the build is exactly what the key named.
 *
 * @param commitId      the full commit id the ref resolved to
 * @param pinnedParents each parent image as written -> its digest-pinned reference
 * @param runsCommands  whether the Dockerfile at that commit has a RUN instruction: then buildah builds it, and
 *                      its network can be made while the source is checked out
 */
public record ResolvedInputs(String commitId, Map<String, String> pinnedParents, boolean runsCommands) {
    public ResolvedInputs {
        Objects.requireNonNull(commitId, "commitId");
        pinnedParents = Map.copyOf(pinnedParents);
    }
}
