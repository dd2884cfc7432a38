package io.strata.worker;

import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import io.strata.registry.Platform;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tags a build's image gets: the unique tag; then, unless scratch, the primary
 * {@code {version}-{release}} tag; then, unless isolated, the floating tags of the plan. Used by
 * tag_and_push and by build avoidance, which tags an image it did not build.
 */
public final class TagPolicy {
    private TagPolicy() {}

    public static List<String> tagsFor(BuildRequest request, String uniqueTag, ImageIdentity identity,
            List<String> floatingTemplates) {
        return tagsFor(request, uniqueTag, identity.version(), identity.release(), floatingTemplates);
    }

    /** The same, from the version and release labels (a multi-platform build's index has no identity of its own). */
    public static List<String> tagsFor(BuildRequest request, String uniqueTag, String version, String release,
            List<String> floatingTemplates) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(uniqueTag);
        if (request.scratch()) {
            return List.copyOf(tags);
        }
        tags.add(version + "-" + release);
        if (!request.isolated()) {
            for (String template : floatingTemplates) {
                tags.add(template.replace("{version}", version).replace("{release}", release));
            }
        }
        return List.copyOf(tags);
    }

    /**
     * Unique per build and platform, so concurrent builds and per-platform pushes never collide; a
     * worker of a multi-platform build passes its orchestrator's id, as OSBS names worker images.
     */
    public static String uniqueTag(BuildId id, Platform platform) {
        return "build-" + id.value() + "-" + platform.kojiArch();
    }

    /** The unique tag of a multi-platform build's index; its workers' images are {@code build-<id>-<platform>}. */
    public static String indexTag(BuildId id) {
        return "build-" + id.value();
    }
}
