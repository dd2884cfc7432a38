package io.strata.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A docker manifest list or OCI image index: one manifest per platform.
 *
 * @param mediaType the list's media type
 * @param digest    digest of the list's bytes
 * @param entries   the per-platform manifests in the registry's order; entries without a platform
 *                  (such as build attestations) are left out
 */
public record ManifestList(String mediaType, String digest, List<Entry> entries) implements Manifest {

    /** One platform's manifest in the list. */
    public record Entry(Descriptor manifest, Platform platform) {}

    public ManifestList {
        entries = List.copyOf(entries);
    }

    /**
     * The entry for {@code wanted}: among the entries it accepts, an exact match (same variant,
     * or both without one) wins, otherwise the first in the registry's order.
     */
    public Optional<Entry> entryFor(Platform wanted) {
        return entries.stream()
                .filter(entry -> wanted.accepts(entry.platform()))
                .min(Comparator.comparing((Entry entry) -> !entry.platform().equals(wanted)));
    }

    /** The platforms present, in the registry's order. */
    public List<Platform> platforms() {
        return entries.stream().map(Entry::platform).toList();
    }
}
