package io.strata.worker;

import java.util.Map;

/**
 * Who the image is: the name (registry repository), version and release labels. Decided once, by
 * add_labels_in_dockerfile, and used for tags and metadata.
 *
 * @param labels every label the image has from its Dockerfile and from Strata, as recorded
 * @param set    the labels Strata sets over the Dockerfile's (policy, request, the automatic ones,
 *               release): written into the image's configuration when it is pushed, or into the
 *               Dockerfile of an image Strata assembles (docs/builds.md, "Labels")
 */
public record ImageIdentity(String component, String name, String version, String release, Map<String, String> labels,
        Map<String, String> set) {
    public ImageIdentity {
        labels = Map.copyOf(labels);
        // Kept in the order decided: it is the order of the configuration's new history line.
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
    }

    /** An identity with nothing left to set (an image already pushed with its labels). */
    public ImageIdentity(String component, String name, String version, String release, Map<String, String> labels) {
        this(component, name, version, release, labels, Map.of());
    }

    /** The primary tag: {@code {version}-{release}}. */
    public String primaryTag() {
        return version + "-" + release;
    }
}
