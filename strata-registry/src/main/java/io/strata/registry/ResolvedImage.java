package io.strata.registry;

import java.util.Optional;

/**
 * The outcome of resolving a reference for one platform.
 *
 * @param reference the reference as asked for
 * @param digest    digest of the image manifest for the platform: what to pin to
 * @param mediaType media type of that image manifest, when the registry told us (it does for a
 *                  single manifest; for a list entry it comes from the list)
 * @param fromList  set when the reference named a manifest list and an entry was chosen from it
 */
public record ResolvedImage(ImageReference reference, String digest, String mediaType, Optional<ListChoice> fromList) {

    /**
     * Which entry of a manifest list was chosen.
     *
     * @param listDigest digest of the manifest list itself
     * @param platform   the platform of the chosen entry, as the list wrote it
     */
    public record ListChoice(String listDigest, Platform platform) {}

    /** The reference pinned to the platform's manifest: {@code registry/repository@digest}. */
    public ImageReference pinned() {
        return reference.pinnedTo(digest);
    }

    public Optional<String> listDigest() {
        return fromList.map(ListChoice::listDigest);
    }
}
