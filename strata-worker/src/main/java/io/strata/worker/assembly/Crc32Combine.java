package io.strata.worker.assembly;

/**
 * Joins CRC-32s (the gzip/zlib polynomial) of consecutive pieces without reading them again, so the
 * pieces can be checksummed on different threads: crc(AB) = crc(A) · x^(8|B|) + crc(B) modulo the
 * polynomial, in the bit-reversed form CRC-32 uses (bit 31 is the coefficient of x^0).
 */
final class Crc32Combine {
    private static final int POLYNOMIAL = 0xedb88320;
    private static final int ONE = 0x80000000;
    private static final int X_TO_THE_8 = ONE >>> 8;

    private Crc32Combine() {}

    /** x^(8 × bytes) modulo the polynomial: the factor that moves a CRC past {@code bytes} bytes. */
    static int shiftFor(long bytes) {
        int result = ONE;
        int power = X_TO_THE_8;
        for (long n = bytes; n != 0; n >>>= 1) {
            if ((n & 1) != 0) {
                result = multiply(result, power);
            }
            power = multiply(power, power);
        }
        return result;
    }

    /** The CRC of A followed by B, from A's CRC, B's CRC and {@code shiftFor(|B|)}. */
    static int combine(int crcOfFirst, int crcOfSecond, int shiftOverSecond) {
        return multiply(shiftOverSecond, crcOfFirst) ^ crcOfSecond;
    }

    /** a · b modulo the polynomial, both bit-reversed. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int bit = ONE; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }
}
