package io.strata.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns manifest bytes from a registry into an {@link ImageManifest} or a {@link ManifestList}. */
final class ManifestParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestParser() {}

    /**
     * @param reference   what was asked for, for messages
     * @param contentType the response's {@code Content-Type}, if any
     * @param digest      the verified digest of {@code body}
     */
    static Manifest parse(ImageReference reference, Optional<String> contentType, String digest, byte[] body)
            throws RegistryException {
        ManifestJson json;
        try {
            json = JSON.readValue(body, ManifestJson.class);
        } catch (IOException e) {
            throw malformed(reference, "it is not valid JSON");
        }
        String mediaType = mediaTypeOf(contentType, json);
        try {
            if (MediaTypes.isList(mediaType)) {
                return new ManifestList(mediaType, digest, entries(json));
            }
            if (MediaTypes.isImageManifest(mediaType)) {
                return new ImageManifest(mediaType, digest, descriptor(json.config(), "config"), layers(json), body.length);
            }
        } catch (IllegalArgumentException e) {
            throw malformed(reference, e.getMessage());
        }
        throw new RegistryException(RegistryException.Reason.NOT_AN_IMAGE_MANIFEST,
                "the manifest of " + reference + " has media type '" + mediaType + "', which Strata does not read"
                        + " (it reads docker v2 schema 2 and OCI manifests and their lists)",
                "re-push the image with a current tool (skopeo copy, buildah push, docker push) so that the registry"
                        + " holds a schema 2 or OCI manifest");
    }

    /**
     * The Content-Type header when it names a manifest type; else the manifest's own
     * {@code mediaType} field; else, for OCI content that may omit both, the shape decides.
     */
    private static String mediaTypeOf(Optional<String> contentType, ManifestJson json) {
        Optional<String> fromHeader = contentType
                .map(type -> type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(type -> type.startsWith("application/vnd."));
        if (fromHeader.isPresent()) {
            return fromHeader.get();
        }
        if (json.mediaType() != null && !json.mediaType().isEmpty()) {
            return json.mediaType();
        }
        if (json.manifests() != null) {
            return MediaTypes.OCI_INDEX;
        }
        return json.config() != null ? MediaTypes.OCI_MANIFEST : "unknown (schema version " + json.schemaVersion() + ")";
    }

    private static List<ManifestList.Entry> entries(ManifestJson json) {
        List<ManifestList.Entry> entries = new ArrayList<>();
        for (ManifestJson.DescriptorJson manifest : json.manifests() == null ? List.<ManifestJson.DescriptorJson>of() : json.manifests()) {
            platformOf(manifest.platform())
                    .ifPresent(platform -> entries.add(new ManifestList.Entry(descriptor(manifest, "manifests[]"), platform)));
        }
        return entries;
    }

    /** Entries without a usable platform (attestations say {@code unknown/unknown}) cannot be chosen. */
    private static Optional<Platform> platformOf(ManifestJson.PlatformJson platform) {
        if (platform == null || isBlank(platform.os()) || isBlank(platform.architecture())
                || platform.os().equals("unknown") || platform.os().contains("/") || platform.architecture().contains("/")) {
            return Optional.empty();
        }
        Optional<String> variant = isBlank(platform.variant()) || platform.variant().contains("/")
                ? Optional.empty() : Optional.of(platform.variant());
        return Optional.of(new Platform(platform.os(), platform.architecture(), variant));
    }

    private static List<Descriptor> layers(ManifestJson json) {
        if (json.layers() == null) {
            throw new IllegalArgumentException("it has no \"layers\"");
        }
        return json.layers().stream().map(layer -> descriptor(layer, "layers[]")).toList();
    }

    private static Descriptor descriptor(ManifestJson.DescriptorJson json, String field) {
        if (json == null) {
            throw new IllegalArgumentException("it has no \"" + field + "\"");
        }
        if (json.size() == null) {
            throw new IllegalArgumentException("\"" + field + "\" has no size");
        }
        return new Descriptor(json.mediaType() == null ? "unknown" : json.mediaType(), json.digest(), json.size());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static RegistryException malformed(ImageReference reference, String problem) {
        return new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                "the registry sent a malformed manifest for " + reference + ": " + problem,
                "re-push the image; if it persists, the registry's storage may be damaged");
    }
}
