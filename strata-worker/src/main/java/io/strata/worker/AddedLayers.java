package io.strata.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Parallel;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.worker.supply.AddedFile;
import io.strata.worker.supply.LayerFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.List;

/**
 * The files the build's own layers add, read from the registry: the image's layers above the
 * longest run of layers it shares with one of its parents (compared by the configs' uncompressed
 * {@code diff_ids}, which do not change when a layer is compressed again). With no parent
 * (FROM scratch) every layer is the build's. Manifests, configs and layers are read in parallel:
 * each is a round trip that waits on nothing else.
 */
final class AddedLayers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AddedLayers() {}

    static List<AddedFile> files(RegistryClient client, Referrers referrers, ImageReference image,
            Collection<String> pinnedParents) throws RegistryException {
        // The image first, then its parents: each one's manifest and config read on threads of their own.
        List<ImageReference> images = new ArrayList<>();
        images.add(image);
        for (String parent : pinnedParents) {
            images.add(ImageReference.parse(parent));
        }
        List<Callable<Described>> reads = new ArrayList<>();
        for (ImageReference reference : images) {
            reads.add(() -> {
                ImageManifest manifest = client.manifest(reference);
                return new Described(manifest, diffIds(referrers, reference, manifest));
            });
        }
        List<Described> described = Parallel.all(reads);
        ImageManifest manifest = described.getFirst().manifest();
        List<String> own = described.getFirst().diffIds();
        int shared = 0;
        for (Described parent : described.subList(1, described.size())) {
            shared = Math.max(shared, commonPrefix(own, parent.diffIds()));
        }
        List<Callable<byte[]>> layers = new ArrayList<>();
        for (int i = shared; i < manifest.layers().size(); i++) {
            String digest = manifest.layers().get(i).digest();
            layers.add(() -> referrers.blob(image, digest));
        }
        List<byte[]> blobs = Parallel.all(layers);
        LayerFiles files = new LayerFiles();
        for (int i = 0; i < blobs.size(); i++) {
            try {
                files.add(new ByteArrayInputStream(blobs.get(i)));
            } catch (IOException e) {
                throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "layer "
                        + manifest.layers().get(shared + i).digest() + " of " + image
                        + " is not a tar archive Strata can read: " + e.getMessage(),
                        "check the registry's storage; the blob may be damaged");
            }
        }
        return files.files();
    }

    private record Described(ImageManifest manifest, List<String> diffIds) {}

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
