package io.strata.worker;

import java.util.Map;

/**
 * Who the image is: the name (registry repository), version and release labels, and every label
 * Strata set on it. Decided once, by add_labels_in_dockerfile, and used for tags and metadata.
 */
public record ImageIdentity(String component, String name, String version, String release, Map<String, String> labels) {
    public ImageIdentity {
        labels = Map.copyOf(labels);
    }

    /** The primary tag: {@code {version}-{release}}. */
    public String primaryTag() {
        return version + "-" + release;
    }
}
