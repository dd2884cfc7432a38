package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryErrorsTest {

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "404 | {\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]} | IMAGE_NOT_FOUND"
                    + " | image quay.io/team/app:1 not found in registry quay.io: MANIFEST_UNKNOWN (manifest unknown)",
            "404 | '' | IMAGE_NOT_FOUND | image quay.io/team/app:1 not found in registry quay.io",
            "400 | {\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"
                    + " | IMAGE_NOT_FOUND | image quay.io/team/app:1 not found in registry quay.io:"
                    + " NAME_UNKNOWN (repository name not known to registry)",
            "405 | {\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]} | REGISTRY_ERROR"
                    + " | registry quay.io does not allow GET /v2/team/app/manifests/1: UNSUPPORTED (The operation is unsupported.)",
            "500 | <html><body>Internal   Server Error</body></html> | REGISTRY_ERROR"
                    + " | registry quay.io answered HTTP 500 to GET /v2/team/app/manifests/1: <html><body>Internal Server Error</body></html>",
            "429 | {\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"},{\"code\":\"DENIED\"}]} | REGISTRY_ERROR"
                    + " | registry quay.io answered HTTP 429 to GET /v2/team/app/manifests/1: TOOMANYREQUESTS (slow down), DENIED"})
    void usesTheRegistrysOwnWords(int status, String body, RegistryException.Reason reason, String message)
            throws RegistryException {
        RegistryRequest request = RegistryRequest.manifest("GET", ImageReference.parse("quay.io/team/app:1"), "1");
        RegistryResponse response = new RegistryResponse(status, HttpHeaders.of(Map.of(), (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8));

        RegistryException failure = RegistryErrors.fromResponse(request, response);

        assertThat(failure.reasonCode()).isEqualTo(reason);
        assertThat(failure.getMessage()).isEqualTo(message);
        assertThat(failure.hint()).isNotBlank();
    }
}
