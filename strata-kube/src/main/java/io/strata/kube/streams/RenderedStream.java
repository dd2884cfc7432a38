package io.strata.kube.streams;

/**
 * One stream after its Dockerfile was rendered: everything the BuildConfig and the keep-alive
 * container need.
 *
 * @param name       the stream name in streams.yml
 * @param transform  the transform applied
 * @param input      the intermediate image the build starts from (upstream_image_base)
 * @param output     the CI image the build produces (upstream_image)
 * @param dockerfile the rendered Dockerfile
 */
record RenderedStream(String name, Transform transform, ImageStreamTagRef input, ImageStreamTagRef output,
        String dockerfile) {}
