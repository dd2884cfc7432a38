package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The store's own reading of its timestamp text agrees with {@link Instant#parse} everywhere. */
class TimestampsTest {

    @Test
    void whatTheStoreWritesReadsBackAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // Years 1970 to about 2500, any microsecond.
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 16_725_225_600L), random.nextLong(0, 1_000_000) * 1000);
            String text = Timestamps.column(instant);
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
        }
        for (String edge : new String[] {"1970-01-01T00:00:00.000000Z", "2024-02-29T23:59:59.999999Z", "2000-12-31T00:00:00.000001Z"}) {
            assertThat(Timestamps.parse(edge)).isEqualTo(Instant.parse(edge));
        }
    }

    @Test
    void theTextWrittenIsTheFormattersTextToTheMicrosecond() {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            // Years 1000 to about 2500, before and after 1970, any nanosecond (truncated to the microsecond).
            Instant instant = Instant.ofEpochSecond(random.nextLong(-30_610_224_000L, 16_725_225_600L), random.nextLong(0, 1_000_000_000));
            assertThat(Timestamps.column(instant)).as(instant.toString())
                    .isEqualTo(formatter.format(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
        }
        for (Instant edge : new Instant[] {Instant.EPOCH, Instant.EPOCH.minusNanos(1), Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("+10000-01-01T00:00:00Z")}) {
            assertThat(Timestamps.column(edge)).isEqualTo(formatter.format(edge.truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
        }
    }

    @Test
    void otherShapesAndImpossibleDatesAreReadExactlyAsInstantParseReadsThem() {
        for (String text : new String[] {"2026-11-22T10:00:00Z", "2026-11-22T10:00:00.123Z", "2026-02-30T10:00:00.000000Z",
                "2026-13-01T10:00:00.000000Z", "2026-11-22T24:00:00.000000Z", "2026-11-22T10:60:00.000000Z",
                "2026-1x-22T10:00:00.000000Z", "2026-11-22T10:00:00.000000+"}) {
            Object expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeException e) {
                expected = DateTimeException.class;
            }
            if (expected instanceof Instant instant) {
                assertThat(Timestamps.parse(text)).as(text).isEqualTo(instant);
            } else {
                assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(DateTimeException.class);
            }
        }
    }
}
