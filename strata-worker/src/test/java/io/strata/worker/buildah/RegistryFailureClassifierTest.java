package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.buildah.RegistryFailureClassifier.Cause;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryFailureClassifierTest {
    static Stream<Arguments> outputs() {
        return Stream.of(
                Arguments.of("Error: pushing image to 127.0.0.1:5000/app:1: trying to reuse blob at destination: "
                        + "checking whether a blob exists: authentication required", Optional.of(Cause.AUTHENTICATION)),
                Arguments.of("Error: writing blob: initiating layer upload: unauthorized: authentication required",
                        Optional.of(Cause.AUTHENTICATION)),
                Arguments.of("error: reading manifest: invalid username/password", Optional.of(Cause.AUTHENTICATION)),
                Arguments.of("pinging container registry 127.0.0.1:5000: Get \"http://127.0.0.1:5000/v2/\": "
                        + "dial tcp 127.0.0.1:5000: connect: connection refused", Optional.of(Cause.PASSING)),
                Arguments.of("dial tcp: lookup registry.invalid on 10.0.0.1:53: no such host",
                        Optional.of(Cause.UNREACHABLE)),
                Arguments.of("dial tcp 10.1.1.1:443: i/o timeout", Optional.of(Cause.PASSING)),
                Arguments.of("Error: writing blob: uploading layer chunked: received unexpected HTTP status: 503 Service"
                        + " Unavailable", Optional.of(Cause.PASSING)),
                Arguments.of("read tcp 127.0.0.1:40000->127.0.0.1:5000: read: connection reset by peer", Optional.of(Cause.PASSING)),
                Arguments.of("Error: writing manifest: manifest invalid: manifest invalid", Optional.empty()),
                Arguments.of("", Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("outputs")
    void classifiesBuildahErrorOutput(String output, Optional<Cause> expected) {
        assertThat(RegistryFailureClassifier.classify(output)).isEqualTo(expected);
    }

    static Stream<Arguments> passingWords() {
        return Stream.of(
                Arguments.of("Error: pushing image: writing blob: Patch \"http://127.0.0.1:5000/v2/app/blobs/uploads/x\":"
                        + " dial tcp 127.0.0.1:5000: connect: connection refused", "connection refused"),
                Arguments.of("received unexpected HTTP status: 503 Service Unavailable", "HTTP 503 Service Unavailable"),
                Arguments.of("Error: initiating layer upload: StatusCode: 429, \"too many requests\"", "HTTP 429"),
                Arguments.of("unexpected http status code 502 Bad Gateway", "HTTP 502 Bad Gateway"));
    }

    @ParameterizedTest
    @MethodSource("passingWords")
    void passingFailuresAreSummedUpInAFewWords(String output, String words) {
        assertThat(RegistryFailureClassifier.classified(output)).hasValueSatisfying(c -> {
            assertThat(c.cause()).isEqualTo(Cause.PASSING);
            assertThat(c.words()).isEqualTo(words);
        });
    }

    @Test
    void aLayerSizeIsNoStatusCode() {
        assertThat(RegistryFailureClassifier.classify("copying blob of 503 bytes: manifest invalid")).isEmpty();
    }
}
