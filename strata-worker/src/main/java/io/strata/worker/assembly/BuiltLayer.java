package io.strata.worker.assembly;

import io.strata.registry.Descriptor;

/**
 * A layer Strata wrote and uploaded.
 *
 * @param descriptor         the compressed blob as the manifest lists it
 * @param diffId             digest of the uncompressed tar, for the config's rootfs
 * @param entries            how many entries the tar holds
 * @param uncompressedBytes  size of the tar
 * @param touchesRpmDatabase whether it writes below an rpm database directory
 */
record BuiltLayer(Descriptor descriptor, String diffId, int entries, long uncompressedBytes, boolean touchesRpmDatabase) {}
