package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void toStringNeverShowsThePassword() {
        Credentials credentials = new Credentials("builder", "s3cret-Passw0rd");

        assertThat(credentials).hasToString("Credentials[username=builder, password=<hidden>]");
    }

    @Test
    void basicAuthorizationIsBase64OfUserColonPassword() {
        // "builder:s3cret" in base64, worked out by hand: YnVpbGRlcjpzM2NyZXQ=
        assertThat(new Credentials("builder", "s3cret").basicAuthorization()).isEqualTo("Basic YnVpbGRlcjpzM2NyZXQ=");
    }

    @Test
    void requiresAUserName() {
        assertThatThrownBy(() -> new Credentials("", "pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registry user name is empty");
    }
}
