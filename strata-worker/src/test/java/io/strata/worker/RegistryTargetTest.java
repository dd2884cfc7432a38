package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTargetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://172.17.0.1:5000/v2,   172.17.0.1:5000,       false",
        "http://127.0.0.1:5000/v2,     127.0.0.1:5000,        true",
        "registry.example.com,         registry.example.com,  false",
        "registry.example.com:8443/v2, registry.example.com:8443, false",
    })
    void readsOsbsClientsRegistryUri(String uri, String host, boolean insecure) throws StrataException {
        assertThat(RegistryTarget.fromRegistryUri(uri)).isEqualTo(new RegistryTarget(host, insecure));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "://nothing", "https:///v2"})
    void aUriWithoutAHostIsExplained(String uri) {
        assertThatThrownBy(() -> RegistryTarget.fromRegistryUri(uri))
                .isInstanceOfSatisfying(StrataException.class, e -> {
                    assertThat(e.reason()).isEqualTo("REGISTRY_URI_INVALID");
                    assertThat(e.hint()).contains("registry_uri = https://");
                });
    }
}
