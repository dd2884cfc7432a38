package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * A short run of the seeded hostile-input generator, part of every test run (a few seconds). The long
 * run (ten minutes and more, with the scaling check) is {@link HostileInputRun}; docs/dockerfile.md has
 * its figures.
 */
class HostileInputTest {

    @Test
    void noExceptionEscapesTheParserOrItsGetters() {
        HostileInput input = new HostileInput(8);
        for (int i = 0; i < 1_500; i++) {
            String text = input.nextText(i % 50 == 0 ? 200_000 : 2_000);
            assertThatCode(() -> ParserContract.holdsFor(text)).as("input %d", i).doesNotThrowAnyException();
            byte[] bytes = input.nextBytes(2_000);
            assertThatCode(() -> ParserContract.holdsFor(bytes)).as("bytes %d", i).doesNotThrowAnyException();
        }
    }
}
