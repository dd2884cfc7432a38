package io.strata.registry;

import java.util.Map;

/**
 * One artifact that names an image manifest as its {@code subject}, as a referrers list gives it.
 *
 * @param digest       the artifact manifest's digest
 * @param mediaType    the artifact manifest's media type (an OCI image manifest)
 * @param size         the artifact manifest's size in bytes
 * @param artifactType what the artifact is, e.g. {@code application/vnd.cyclonedx+json}
 * @param annotations  the artifact manifest's annotations
 */
public record Referrer(String digest, String mediaType, long size, String artifactType, Map<String, String> annotations) {
    public Referrer {
        annotations = Map.copyOf(annotations);
    }
}
