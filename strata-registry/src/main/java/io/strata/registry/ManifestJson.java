package io.strata.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The JSON shape shared by docker v2 schema 2 manifests, manifest lists, OCI manifests and OCI
 * indexes; {@link ManifestParser} turns it into the domain types. Fields a kind does not use are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ManifestJson(
        Integer schemaVersion, String mediaType, DescriptorJson config, List<DescriptorJson> layers,
        List<DescriptorJson> manifests) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DescriptorJson(String mediaType, String digest, Long size, PlatformJson platform) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlatformJson(String os, String architecture, String variant) {}
}
