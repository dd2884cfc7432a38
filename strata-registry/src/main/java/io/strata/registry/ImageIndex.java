package io.strata.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The bytes of an image index that joins one image per platform into one reference: an OCI image
 * index, or a docker manifest list (schema 2), which older clients and OSBS's
 * {@code group_manifests} use. Wire format only; {@link RegistryClient#putManifest} stores it.
 *
 * @param mediaType {@link MediaTypes#OCI_INDEX} or {@link MediaTypes#DOCKER_MANIFEST_LIST}
 * @param entries   one image manifest per platform, in the order given
 */
public record ImageIndex(String mediaType, List<ManifestList.Entry> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageIndex {
        if (!MediaTypes.isList(mediaType)) {
            throw new IllegalArgumentException("an image index is " + MediaTypes.OCI_INDEX + " or "
                    + MediaTypes.DOCKER_MANIFEST_LIST + ", not " + mediaType);
        }
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an image index needs at least one manifest");
        }
    }

    /** An OCI image index, or a docker manifest list when {@code dockerList}. */
    public static ImageIndex of(boolean dockerList, List<ManifestList.Entry> entries) {
        return new ImageIndex(dockerList ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX, entries);
    }

    /** The document, as the registry stores it (its digest is the sha256 of these bytes). */
    public byte[] toBytes() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        ArrayNode manifests = root.putArray("manifests");
        for (ManifestList.Entry entry : entries) {
            ObjectNode manifest = manifests.addObject();
            manifest.put("mediaType", entry.manifest().mediaType());
            manifest.put("digest", entry.manifest().digest());
            manifest.put("size", entry.manifest().size());
            ObjectNode platform = manifest.putObject("platform");
            platform.put("architecture", entry.platform().architecture());
            platform.put("os", entry.platform().os());
            entry.platform().variant().ifPresent(variant -> platform.put("variant", variant));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the image index could not be written", e);
        }
    }
}
