package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Joined CRCs equal the CRC of the whole, for pieces of every length, empty ones included. */
class Crc32CombineTest {
    private static int crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    @Test
    void joiningPiecesGivesTheCrcOfTheWhole() {
        Random random = new Random(5);
        byte[] data = new byte[300_000];
        random.nextBytes(data);
        for (int round = 0; round < 200; round++) {
            int joined = 0;
            int offset = 0;
            while (offset < data.length) {
                int length = Math.min(data.length - offset, round % 10 == 0 ? 0 : random.nextInt(70_000));
                if (length == 0 && offset + 1 == data.length) {
                    length = 1;
                }
                joined = Crc32Combine.combine(joined, crc(data, offset, length), Crc32Combine.shiftFor(length));
                offset += length;
                if (round % 10 == 0) {
                    joined = Crc32Combine.combine(joined, crc(data, offset, data.length - offset),
                            Crc32Combine.shiftFor(data.length - offset));
                    offset = data.length;
                }
            }
            assertThat(joined).isEqualTo(crc(data, 0, data.length));
        }
    }

    @Test
    void anEmptyPieceChangesNothing() {
        assertThat(Crc32Combine.combine(0x12345678, 0, Crc32Combine.shiftFor(0))).isEqualTo(0x12345678);
    }
}
