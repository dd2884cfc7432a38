package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryTransportTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "docker.io,          https://registry-1.docker.io/v2/",
            "quay.io,            https://quay.io/v2/",
            "registry.lab:5000,  http://registry.lab:5000/v2/",
            "127.0.0.1:5000,     http://127.0.0.1:5000/v2/",
            "[::1]:5000,         http://[::1]:5000/v2/",
            "localhost,          http://localhost/v2/"})
    void picksSchemeAndApiHost(String registry, String expected) {
        RegistryClientConfig config = RegistryClientConfig.defaults().withInsecureRegistries(Set.of("registry.lab:5000"));
        try (RegistryTransport transport = new RegistryTransport(config, Clock.systemUTC())) {
            assertThat(transport.baseUri(registry)).hasToString(expected);
        }
    }
}
