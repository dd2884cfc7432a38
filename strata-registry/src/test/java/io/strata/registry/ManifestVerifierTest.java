package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestVerifierTest {
    /** The FIPS 180-2 test vectors for "abc". */
    private static final String SHA256_ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String SHA512_ABC = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
    private static final String OTHER = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    @ParameterizedTest(name = "[{index}] {0} header={1}")
    @CsvSource({
            "quay.io/app:1,                   ''",
            "quay.io/app:1,                   " + SHA256_ABC,
            "quay.io/app@" + SHA256_ABC + ",  ''",
            "quay.io/app@" + SHA256_ABC + ",  " + SHA256_ABC,
            "quay.io/app@" + SHA512_ABC + ",  ''",
            // A header in another algorithm cannot be compared, so it is not held against the bytes.
            "quay.io/app@" + SHA512_ABC + ",  " + OTHER})
    void acceptsBytesThatHashToWhatWasAskedFor(String reference, String header) throws RegistryException {
        ImageReference image = ImageReference.parse(reference);

        String digest = ManifestVerifier.verifiedDigest(image, response(header));

        assertThat(digest).isEqualTo(image.digest().orElse(SHA256_ABC));
    }

    @Test
    void rejectsBytesThatDoNotHashToThePinnedDigest() throws RegistryException {
        ImageReference image = ImageReference.parse("quay.io/app@" + OTHER);

        assertThatThrownBy(() -> ManifestVerifier.verifiedDigest(image, response("")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.DIGEST_MISMATCH);
                    assertThat(e.getMessage()).isEqualTo("manifest of quay.io/app@" + OTHER
                            + " failed verification: the manifest bytes hash to " + SHA256_ABC);
                });
    }

    @Test
    void rejectsAHeaderThatDisagreesWithTheBytes() throws RegistryException {
        ImageReference image = ImageReference.parse("quay.io/app:1");

        assertThatThrownBy(() -> ManifestVerifier.verifiedDigest(image, response(OTHER)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("manifest of quay.io/app:1 failed verification: the registry reports " + OTHER
                                + " but the bytes hash to " + SHA256_ABC));
    }

    private static RegistryResponse response(String digestHeader) {
        Map<String, List<String>> headers = digestHeader.isEmpty()
                ? Map.of() : Map.of("Docker-Content-Digest", List.of(digestHeader));
        return new RegistryResponse(200, HttpHeaders.of(headers, (name, value) -> true), "abc".getBytes(StandardCharsets.US_ASCII));
    }
}
