package io.strata.core.render;

import java.util.Objects;
import java.util.Optional;

/**
 * What osbs-client learnt by reading the Dockerfile at the requested ref before creating a build:
 * the base image (FROM of the last stage) and the {@code name} label. The build pipeline fills
 * this in after checkout; {@code strata render build-config} takes them as flags.
 */
public record DockerfileFacts(Optional<String> baseImage, Optional<String> nameLabel) {
    public DockerfileFacts {
        Objects.requireNonNull(baseImage, "baseImage");
        Objects.requireNonNull(nameLabel, "nameLabel");
    }

    public static DockerfileFacts unknown() {
        return new DockerfileFacts(Optional.empty(), Optional.empty());
    }
}
