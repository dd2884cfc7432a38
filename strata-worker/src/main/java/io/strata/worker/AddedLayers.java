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
import io.strata.worker.supply.RecentLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The files the build's own layers add, read from the registry: the image's layers above the
 * longest run of layers it shares with one of its parents. A layer the image and a parent share by
 * compressed digest is the same layer (a digest names its bytes), so when the image's layers (as
 * tag_and_push read them back) start with ALL of a parent's, and no parent has more layers than
 * that, the build's own layers are known without a further read. Otherwise (a builder that
 * compressed a parent's layer again) they are compared by the configs' uncompressed
 * {@code diff_ids}, which recompression does not change. With no parent (FROM scratch) every layer
 * is the build's. A parent is pinned by digest, so its manifest and config never change: each is
 * read once per process. What is read is read in parallel: each read is a round trip that waits on
 * nothing else.
 */
final class AddedLayers {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parents remembered at most; beyond, the memory starts again (a long-running service sees many bases). */
    static final int MAX_REMEMBERED = 1_000;
    /** Digest-pinned parent reference -> its manifest and diff_ids (read on first need). */
    private static final ConcurrentMap<String, Described> PARENTS = new ConcurrentHashMap<>();

    private AddedLayers() {}

    /**
     * The files the layers of {@code image} (its manifest's {@code layerDigests}, bottom first) add
     * above the layers it shares with {@code pinnedParents}.
     */
    static List<AddedFile> files(RegistryClient client, Referrers referrers, RecentLayers recent, ImageReference image,
            List<String> layerDigests, Collection<String> pinnedParents) throws RegistryException {
        List<Callable<Described>> reads = new ArrayList<>();
        for (String parent : pinnedParents) {
            reads.add(() -> parent(client, referrers, parent));
        }
        List<Described> parents = Parallel.all(reads);
        int shared = sharedByDigest(layerDigests, parents).orElse(-1);
        if (shared < 0) {
            shared = sharedByDiffId(client, referrers, image, parents);
        }
        List<Callable<byte[]>> layers = new ArrayList<>();
        for (String digest : layerDigests.subList(shared, layerDigests.size())) {
            layers.add(() -> recent.read(client, image, digest));
        }
        List<byte[]> blobs = Parallel.all(layers);
        LayerFiles files = new LayerFiles();
        for (int i = 0; i < blobs.size(); i++) {
            try {
                files.add(new ByteArrayInputStream(blobs.get(i)));
            } catch (IOException e) {
                throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "layer "
                        + layerDigests.get(shared + i) + " of " + image + " is not a tar archive Strata can read: "
                        + e.getMessage(), "check the registry's storage; the blob may be damaged");
            }
        }
        return files.files();
    }

    /**
     * How many bottom layers the image shares with its parents, when the compressed digests settle
     * it: a parent all of whose layers start the image's, and no parent with more layers than that
     * (a longer parent could share more by diff_id). Empty when they do not settle it.
     */
    static Optional<Integer> sharedByDigest(List<String> layerDigests, List<Described> parents) {
        int best = 0;
        for (Described parent : parents) {
            List<String> digests = parent.manifest().layerDigests();
            if (commonPrefix(layerDigests, digests) == digests.size()) {
                best = Math.max(best, digests.size());
            }
        }
        for (Described parent : parents) {
            if (parent.manifest().layers().size() > best) {
                return Optional.empty();
            }
        }
        return Optional.of(best);
    }

    /** The shared layers by the configs' diff_ids: the image's manifest and config read now, the parents' once. */
    private static int sharedByDiffId(RegistryClient client, Referrers referrers, ImageReference image,
            List<Described> parents) throws RegistryException {
        List<Callable<List<String>>> reads = new ArrayList<>();
        reads.add(() -> diffIds(referrers, image, client.manifest(image)));
        for (Described parent : parents) {
            reads.add(parent::diffIds);
        }
        List<List<String>> ids = Parallel.all(reads);
        int shared = 0;
        for (List<String> parent : ids.subList(1, ids.size())) {
            shared = Math.max(shared, commonPrefix(ids.getFirst(), parent));
        }
        return shared;
    }

    private static Described parent(RegistryClient client, Referrers referrers, String reference) throws RegistryException {
        Described known = PARENTS.get(reference);
        if (known != null) {
            return known;
        }
        ImageReference parent = ImageReference.parse(reference);
        ImageManifest manifest = client.manifest(parent);
        Described read = new Described(manifest, () -> diffIds(referrers, parent, manifest));
        if (parent.digest().isPresent()) {
            if (PARENTS.size() >= MAX_REMEMBERED) {
                PARENTS.clear();
            }
            PARENTS.put(reference, read);
        }
        return read;
    }

    /** A parent: its manifest, and its diff_ids read on first need and kept. */
    static final class Described {
        private final ImageManifest manifest;
        private final Callable<List<String>> read;
        private volatile List<String> diffIds;

        Described(ImageManifest manifest, Callable<List<String>> read) {
            this.manifest = manifest;
            this.read = read;
        }

        ImageManifest manifest() {
            return manifest;
        }

        List<String> diffIds() throws Exception {
            List<String> known = diffIds;
            if (known == null) {
                known = read.call();
                diffIds = known;
            }
            return known;
        }
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
