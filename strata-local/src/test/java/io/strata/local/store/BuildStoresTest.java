package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.store.StoreException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildStoresTest {

    @Test
    void anUnsupportedDatabaseIsUnavailableWithTheSupportedOnesNamed() {
        assertThatThrownBy(() -> BuildStores.open("jdbc:mysql://db/strata?password=hunter2", Optional.empty(),
                Optional.empty()))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo("STORE_UNAVAILABLE");
                    assertThat(e.getMessage())
                            .isEqualTo("store URL jdbc:mysql://db/strata?password=**** names no supported database");
                    assertThat(e.hint()).isEqualTo("set strata_store_url to jdbc:sqlite:... or jdbc:postgresql:..., or"
                            + " leave it unset for the embedded store");
                });
    }

    @Test
    void thePasswordNeverShowsInWhatTheLocationSays() throws StoreException {
        StoreLocation location = StoreLocation.of("jdbc:postgresql://db/strata?password=hunter2", Optional.of("strata"),
                Optional.of(Secret.of("s3cret")));

        assertThat(location.toString()).isEqualTo("jdbc:postgresql://db/strata?password=****");
        assertThat(location.redact("FATAL: password authentication failed (tried s3cret) for"
                + " jdbc:postgresql://db/strata?password=hunter2"))
                .isEqualTo("FATAL: password authentication failed (tried ****) for jdbc:postgresql://db/strata?password=****");
        assertThat(Secret.of("s3cret").toString()).isEqualTo("****");
    }
}
