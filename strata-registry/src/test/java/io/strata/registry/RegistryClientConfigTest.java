package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {
    private final RegistryClientConfig config = RegistryClientConfig.defaults()
            .withInsecureRegistries(Set.of("registry.lab:5000", "plain.example"));

    @ParameterizedTest(name = "{0} -> plain http: {1}")
    @CsvSource({
            "127.0.0.1:5000,       true",
            "127.0.0.1,            true",
            "127.1.2.3:80,         true",
            "localhost:5000,       true",
            "localhost,            true",
            "[::1]:5000,           true",
            "registry.lab:5000,    true",
            "registry.lab:5001,    false",
            "registry.lab,         false",
            "plain.example,        true",
            "plain.example:8443,   true",
            "quay.io,              false",
            "128.0.0.1:5000,       false",
            "localhost.example.com, false",
            "[2001:db8::1]:5000,   false"})
    void speaksPlainHttpToLoopbackAndListedRegistriesOnly(String registry, boolean plainHttp) {
        assertThat(config.usesPlainHttp(registry)).isEqualTo(plainHttp);
    }

    @Test
    void defaultsAreAnonymousWithSensibleTimeouts() {
        RegistryClientConfig defaults = RegistryClientConfig.defaults();

        assertThat(defaults.authFile().source()).isEmpty();
        assertThat(defaults.insecureRegistries()).isEmpty();
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThatThrownBy(() -> RegistryClientConfig.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be a positive duration: PT0S");
    }
}
