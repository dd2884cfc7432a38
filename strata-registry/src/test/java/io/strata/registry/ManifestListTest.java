package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestListTest {
    private static final List<String> PLATFORMS = List.of(
            "linux/amd64", "linux/amd64/v3", "linux/arm64/v8", "linux/arm64", "linux/ppc64le", "windows/s390x");

    /** Each entry's digest is its index in {@link #PLATFORMS} repeated, so the chosen one can be named. */
    private static final ManifestList LIST = new ManifestList(MediaTypes.OCI_INDEX, digest(9), PLATFORMS.stream()
            .map(platform -> new ManifestList.Entry(
                    new Descriptor(MediaTypes.OCI_MANIFEST, digest(PLATFORMS.indexOf(platform)), 100), Platform.parse(platform)))
            .toList());

    @ParameterizedTest(name = "{0} -> entry {1}")
    @CsvSource({
            "linux/amd64,    0",
            "linux/amd64/v3, 1",
            "linux/arm64,    3",
            "linux/arm64/v8, 2",
            "linux/ppc64le,  4",
            "linux/s390x,    -1",
            "linux/arm64/v9, -1",
            "windows/amd64,  -1"})
    void choosesAnExactMatchFirstThenTheFirstAcceptableEntry(String wanted, int expectedIndex) {
        Optional<ManifestList.Entry> entry = LIST.entryFor(Platform.parse(wanted));

        assertThat(entry.map(e -> e.manifest().digest()))
                .isEqualTo(expectedIndex < 0 ? Optional.empty() : Optional.of(digest(expectedIndex)));
    }

    private static String digest(int index) {
        return "sha256:" + String.valueOf(index).repeat(64);
    }
}
