package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which release labels count towards the next computed release. */
class ReleaseNumbersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "1,          1",
        "42,         42",
        "123456789,  123456789",
        "1234567890, none",
        "0,          none",
        "007,        none",
        "1.el9,      none",
        "2.1,        none",
        "-3,         none",
        "'',         none",
    })
    void plainPositiveIntegersCount(String release, Integer number) {
        assertThat(ReleaseReservations.asNumber(release)).isEqualTo(Optional.ofNullable(number));
    }
}
