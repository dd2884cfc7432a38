package io.strata.worker;

import io.strata.core.build.ImageOutput;

/**
 * An earlier build's image put to use by {@link ImageReuse}: the new build's output and what its
 * Koji metadata needs besides, read from the manifest the reuse handled anyway.
 *
 * @param output            the new build's image output (its tags, the image's digest and layers)
 * @param imageId           the image (config) id, as buildah names an image: the config digest's hex
 * @param manifestMediaType the media type of the manifest under the new build's tags
 */
public record ReusedImage(ImageOutput output, String imageId, String manifestMediaType) {}
