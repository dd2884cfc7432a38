package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
            "x86_64,  linux/amd64",
            "aarch64, linux/arm64",
            "ppc64le, linux/ppc64le",
            "s390x,   linux/s390x"})
    void mapsKojiArchesToOciPlatformsAndBack(String kojiArch, String platform) {
        assertThat(Platform.fromKojiArch(kojiArch)).hasToString(platform);
        assertThat(Platform.parse(platform).kojiArch()).isEqualTo(kojiArch);
    }

    @Test
    void listsTheKojiArchesInAStableOrder() {
        assertThat(Platform.kojiArches()).containsExactly("x86_64", "aarch64", "ppc64le", "s390x");
    }

    @Test
    void rejectsAnUnknownKojiArchListingTheKnownOnes() {
        assertThatThrownBy(() -> Platform.fromKojiArch("i686"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown Koji arch 'i686'; known: [x86_64, aarch64, ppc64le, s390x]");
        assertThatThrownBy(() -> Platform.linux("riscv64").kojiArch())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("architecture 'riscv64' has no Koji name; known: [x86_64, aarch64, ppc64le, s390x]");
    }

    @Test
    void currentPlatformIsLinuxOnTheJvmsArchitecture() {
        Platform current = Platform.current();

        assertThat(current.os()).isEqualTo("linux");
        assertThat(Platform.fromKojiArch(current.kojiArch())).isEqualTo(current);
        assertThat(System.getProperty("os.arch")).isIn(current.architecture(), current.kojiArch());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "linux/amd64,      linux, amd64, ''",
            "linux/arm64/v8,   linux, arm64, v8",
            "windows/amd64,    windows, amd64, ''"})
    void parsesOsArchitectureAndVariant(String text, String os, String architecture, String variant) {
        Platform platform = Platform.parse(text);

        assertThat(platform).isEqualTo(new Platform(os, architecture, variant.isEmpty() ? Optional.empty() : Optional.of(variant)));
        assertThat(platform).hasToString(text);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"linux", "linux/arm64/v8/extra", "/amd64", "linux//v8"})
    void rejectsMalformedPlatforms(String text) {
        assertThatThrownBy(() -> Platform.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource({
            "linux/amd64,    linux/amd64,    true",
            "linux/amd64,    linux/amd64/v3, true",
            "linux/amd64,    linux/arm64,    false",
            "linux/amd64,    windows/amd64,  false",
            "linux/arm64,    linux/arm64/v8, true",
            "linux/arm64/v8, linux/arm64,    true",
            "linux/arm64/v8, linux/arm64/v8, true",
            "linux/arm64/v8, linux/arm64/v9, false",
            "linux/arm/v7,   linux/arm/v6,   false",
            "linux/arm/v7,   linux/arm,      false"})
    void acceptsEntriesOfTheSameOsArchitectureAndVariant(String wanted, String offered, boolean accepted) {
        assertThat(Platform.parse(wanted).accepts(Platform.parse(offered))).isEqualTo(accepted);
    }
}
