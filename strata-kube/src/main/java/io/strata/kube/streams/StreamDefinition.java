package io.strata.kube.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * One entry of {@code streams.yml}. Only {@code transform} decides whether the stream gets a
 * BuildConfig; other keys (mirror, final_user, ...) belong to other commands and are ignored.
 *
 * @param image             the ART (brew) image the stream is built from
 * @param upstreamImageBase the intermediate pullspec ART mirrors the raw image to; the build's input
 * @param upstreamImage     the pullspec CI consumes; the build's output
 * @param transform         the transform id, or null when the image is mirrored without a build
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamDefinition(
        String image,
        @JsonProperty("upstream_image_base") String upstreamImageBase,
        @JsonProperty("upstream_image") String upstreamImage,
        String transform) {

    public Optional<String> transformId() {
        return Optional.ofNullable(transform);
    }
}
