package io.strata.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.worker.supply.AddedFile;
import io.strata.worker.supply.LayerFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The files the build's own layers add, read from the registry: the image's layers above the
 * longest run of layers it shares with one of its parents (compared by the configs' uncompressed
 * {@code diff_ids}, which do not change when a layer is compressed again). With no parent
 * (FROM scratch) every layer is the build's.
 */
final class AddedLayers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AddedLayers() {}

    static List<AddedFile> files(RegistryClient client, Referrers referrers, ImageReference image,
            Collection<String> pinnedParents) throws RegistryException {
        ImageManifest manifest = client.manifest(image);
        List<String> own = diffIds(referrers, image, manifest);
        int shared = 0;
        for (String parent : pinnedParents) {
            ImageReference reference = ImageReference.parse(parent);
            shared = Math.max(shared, commonPrefix(own, diffIds(referrers, reference, client.manifest(reference))));
        }
        LayerFiles files = new LayerFiles();
        for (int i = shared; i < manifest.layers().size(); i++) {
            String digest = manifest.layers().get(i).digest();
            try {
                files.add(new ByteArrayInputStream(referrers.blob(image, digest)));
            } catch (IOException e) {
                throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "layer " + digest + " of " + image
                        + " is not a tar archive Strata can read: " + e.getMessage(),
                        "check the registry's storage; the blob may be damaged");
            }
        }
        return files.files();
    }

    private static List<String> diffIds(Referrers referrers, ImageReference image, ImageManifest manifest)
            throws RegistryException {
        byte[] config = referrers.blob(image, manifest.config().digest());
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode id : JSON.readTree(config).path("rootfs").path("diff_ids")) {
                ids.add(id.asText());
            }
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "the configuration of " + image
                    + " is not JSON", "re-push the image");
        }
        return ids;
    }

    private static int commonPrefix(List<String> a, List<String> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }
}
