package io.strata.controller.osbuild;

import io.strata.registry.Descriptor;
import io.strata.registry.ImageIndex;
import io.strata.registry.ImageReference;
import io.strata.registry.ManifestList;
import io.strata.registry.Platform;
import io.strata.registry.RegistryAuthFile;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins the images of a MachineOSBuild's architectures, each pushed by its own Job into the final
 * image's repository, into one OCI image index pushed under the final pullspec's tag, so every node of
 * the pool pulls one reference and gets the manifest of its architecture. The index is written with the
 * registry client's {@link ImageIndex} and {@code putManifest}, as the orchestrator's group_manifests does.
 */
final class IndexPublication {
    private final PushedImages registries;

    IndexPublication(PushedImages registries) {
        this.registries = registries;
    }

    /**
     * @param digests OCI architecture to the digest of its pushed image manifest, in index order
     * @return the index's digest
     */
    String publish(ImageReference finalImage, Map<String, String> digests, RegistryAuthFile auth) throws RegistryException {
        try (RegistryClient registry = new RegistryClient(registries.with(auth))) {
            List<ManifestList.Entry> entries = new ArrayList<>();
            for (Map.Entry<String, String> image : digests.entrySet()) {
                Descriptor manifest = registry.describe(finalImage.pinnedTo(image.getValue()));
                entries.add(new ManifestList.Entry(manifest, Platform.linux(image.getKey())));
            }
            ImageIndex index = ImageIndex.of(false, entries);
            return registry.putManifest(finalImage, finalImage.tag().orElse(ImageReference.DEFAULT_TAG), index.mediaType(), index.toBytes());
        }
    }
}
