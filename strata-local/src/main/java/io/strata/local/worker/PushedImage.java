package io.strata.local.worker;

import java.util.List;

/**
 * What tag_and_push put into the registry.
 *
 * @param repository registry host and repository, e.g. {@code 127.0.0.1:5000/strata-demo/hello}
 * @param digest     the manifest digest buildah reported through --digestfile
 * @param tags       every tag pushed, unique tag first
 */
public record PushedImage(String repository, String digest, List<String> tags) {
    public PushedImage {
        tags = List.copyOf(tags);
    }

    public String pullspec() {
        return repository + "@" + digest;
    }
}
