package io.strata.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(List.of("s3cret"), "login with s3cret", "login with ****"),
                Arguments.of(List.of("s3cret"), "s3crets3cret", "********"),
                Arguments.of(List.of("s3cret"), "nothing to hide", "nothing to hide"),
                Arguments.of(List.of("abc", "abcdef"), "token=abcdef;", "token=****;"),
                Arguments.of(List.of("abcdef", "abc"), "abc and abcdef", "**** and ****"),
                Arguments.of(List.of("pa$$.*"), "pw pa$$.* end", "pw **** end"),
                Arguments.of(List.of(""), "empty secrets mask nothing", "empty secrets mask nothing"),
                Arguments.of(List.of("x", "x"), "axb", "a****b"),
                Arguments.of(List.of(), "no secrets", "no secrets"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void masksEveryOccurrence(List<String> secrets, String line, String expected) {
        assertThat(SecretMasker.of(secrets).mask(line)).isEqualTo(expected);
    }

    @Test
    void combinedMaskerHidesBothSets() {
        SecretMasker masker = SecretMasker.of(Set.of("alpha")).and(List.of("beta"));

        assertThat(masker.mask("alpha beta gamma")).isEqualTo("**** **** gamma");
    }

    @Test
    void credentialsWrittenIntoUrlsAreMaskedEvenWhenNotKnown() {
        SecretMasker masker = SecretMasker.of(List.of("known"));

        assertThat(masker.mask("pulling https://ghp_unknown@github.com/x.git with known"))
                .isEqualTo("pulling https://****@github.com/x.git with ****");
    }

    @Test
    void secretsOfUrlsAreMaskedWhereverTheyAppearAlone() {
        SecretMasker masker = SecretMasker.forUrls(List.of("http://u:p%40w@h/a.repo?token=t0k", "https://ghp_x@github.com/a.git"));

        assertThat(masker.mask("echo p@w t0k ghp_x")).isEqualTo("echo **** **** ****");
    }

    @Test
    void noMaskedLineEverContainsASecret() {
        Random random = new Random(20261122L);
        String alphabet = "abcxyz:/@ ";
        for (int round = 0; round < 500; round++) {
            String secret = randomString(random, alphabet, 1 + random.nextInt(4));
            String line = randomString(random, alphabet, random.nextInt(40));
            String withSecret = line.substring(0, line.length() / 2) + secret + line.substring(line.length() / 2);

            String masked = SecretMasker.of(List.of(secret)).mask(withSecret);

            assertThat(masked).as("secret %s in %s", secret, withSecret).doesNotContain(secret);
        }
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
