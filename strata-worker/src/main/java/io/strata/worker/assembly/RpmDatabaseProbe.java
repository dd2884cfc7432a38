package io.strata.worker.assembly;

import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Whether an image in the registry certainly has no rpm database, read from its layers' tar
 * headers (small images only: reading a big one costs more than the working container it saves).
 * Listing rpms needs a working container (create, mount, rpm -qa, remove: three buildah runs);
 * busybox, distroless and scratch images have nothing to list, and this says so without one. Any
 * doubt (a large image, a binary or database path that exists in any form) answers false, and the
 * caller lists as before.
 */
public final class RpmDatabaseProbe {
    /** Compressed bytes read at most; above that the working container is cheaper. */
    public static final long MAX_BYTES = 32L << 20;
    private static final List<String> BINARIES = List.of("usr/bin/rpm", "bin/rpm");
    private static final List<String> DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");
    private static final String DPKG_STATUS = "var/lib/dpkg/status";

    private final RegistryClient registry;

    public RpmDatabaseProbe(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * True only when {@code image}'s layers hold no rpm binary or no rpm database directory, and no
     * dpkg status file (attach_sbom lists dpkg packages from the same working container).
     */
    public boolean certainlyNone(ImageReference image, Platform platform) throws RegistryException {
        ImageManifest manifest = registry.manifest(image, platform);
        if (manifest.layers().stream().mapToLong(Descriptor::size).sum() > MAX_BYTES) {
            return false;
        }
        BaseTree tree = BaseTree.empty();
        try {
            for (Descriptor layer : manifest.layers()) {
                tree.apply(new ByteArrayInputStream(registry.blobs().blob(image, layer.digest())));
            }
        } catch (IOException e) {
            return false;
        }
        boolean binary = BINARIES.stream().anyMatch(path -> tree.kind(path) != null);
        boolean database = DATABASES.stream().anyMatch(path -> tree.kind(path) != null);
        boolean dpkg = tree.kind(DPKG_STATUS) != null;
        return !(binary && database) && !dpkg;
    }
}
