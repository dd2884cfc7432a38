package io.strata.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configuration snapshot kept in every build record must hold no credential, in any form. */
class ConfigurationRedactionTest {
    @Test
    void secretsAndPasswordsInsideUrlsNeverReachTheSnapshot() throws Exception {
        ConfigSource source = new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                Path.of("/nonexistent/osbs.conf"), Path.of("/home/tester"))
                .withOverride("password", "s3cret-pw")
                .withOverride("token", "s3cret-token")
                .withOverride("strata_store_url", "jdbc:postgresql://db/strata?user=strata&password=s3cret-db")
                .withOverride("openshift_url", "https://admin:s3cret-basic@openshift.example.com/");
        Map<String, String> snapshot = ConfigLoader.load(source).config().redacted();

        assertThat(snapshot.toString()).doesNotContain("s3cret");
        assertThat(snapshot).containsEntry("password", Configuration.REDACTED)
                .containsEntry("strata_store_url", "jdbc:postgresql://db/strata?user=strata&password=****")
                .containsEntry("openshift_url", "https://admin:****@openshift.example.com/");
    }
}
