package io.strata.worker.assembly;

import java.io.IOException;

/**
 * A sink that can be told a run of bytes will not compress: the parallel gzip then stores the run
 * (deflate level 0: the bytes as they are, 5 bytes of framing per 64 KiB) instead of searching it
 * for matches at level 6, which on such bytes costs as much CPU as on text and gains nothing (zlib
 * ends up emitting a stored block for them anyway). Random-looking content is common in images:
 * compressed assets, archives, jars' members, already-compressed binaries.
 *
 * <p>Whether a run looks incompressible is decided from its own bytes only ({@link #looksRandom}),
 * so the same input always gives the same layer.
 */
interface Incompressible {
    /** Runs shorter than this are deflated whatever they hold: the switch of level costs about a block header. */
    int MIN_RUN = 4096;
    /** Bytes of a run looked at. */
    int SAMPLE = 4096;
    /**
     * Bits per byte above which a sample counts as random. 4 KiB of uniformly random bytes measure
     * about 7.95; gzip, zstd, JPEG and PNG data 7.9 to 7.97; text 4 to 5; machine code 5.5 to 6.5.
     */
    double RANDOM_BITS_PER_BYTE = 7.85;

    /** Writes {@code length} bytes that are to be stored, not deflated. */
    void writeIncompressible(byte[] bytes, int offset, int length) throws IOException;

    /** Whether the run looks incompressible: long enough, and its first {@link #SAMPLE} bytes of near-maximal entropy. */
    static boolean looksRandom(byte[] bytes, int offset, int length) {
        if (length < MIN_RUN) {
            return false;
        }
        int n = Math.min(length, SAMPLE);
        int[] counts = new int[256];
        for (int i = offset; i < offset + n; i++) {
            counts[bytes[i] & 0xff]++;
        }
        double bits = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / n;
                bits -= p * Math.log(p);
            }
        }
        return bits / Math.log(2) >= RANDOM_BITS_PER_BYTE;
    }
}
