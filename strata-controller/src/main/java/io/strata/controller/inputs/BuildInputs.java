package io.strata.controller.inputs;

import io.strata.controller.build.BuilderType;
import io.strata.registry.ImageReference;

/**
 * Everything a pool's build needs from outside the pool, read and checked before any build starts.
 *
 * @param baseImagePullSecret name of the Secret (dockerconfigjson) used to pull the base OS image
 * @param finalImagePushSecret name of the Secret used to push the built image
 * @param finalImage          where the built image is pushed (the tag is replaced by the digest on success)
 * @param builderType         which builder runs the build
 * @param baseImage           the base OS image pullspec
 */
public record BuildInputs(String baseImagePullSecret, String finalImagePushSecret, ImageReference finalImage,
        BuilderType builderType, String baseImage) {
}
