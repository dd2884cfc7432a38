package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferencesTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:5000/app:1,                 127.0.0.1:5000",
        "docker://127.0.0.1:5000/ns/app@sha256:ab, 127.0.0.1:5000",
        "registry.example.com/ns/app:latest,   registry.example.com",
        "localhost/app:1,                      localhost",
        "library/busybox:1,                    docker.io",
        "busybox,                              docker.io",
    })
    void registryHostIsTheFirstComponentWhenItLooksLikeAHost(String reference, String expected) {
        assertThat(ImageReferences.registryHost(reference)).isEqualTo(expected);
    }
}
