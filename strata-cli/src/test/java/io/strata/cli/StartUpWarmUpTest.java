package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The store's warm-up is begun for the launcher's kinds of command that open the embedded store in
 * their own process (scripts/lib/command-kind.sh), and for no other: a command handed to a build
 * service, the service itself (which opens its store once) and the short commands spend no CPU on it.
 */
class StartUpWarmUpTest {
    @Test
    void onlyCommandsThatOpenTheEmbeddedStoreWarmItUp() throws Exception {
        for (String kind : new String[] {"build", "demo", "records"}) {
            Optional<Thread> warmUp = StartUpWarmUp.begin(kind);
            assertThat(warmUp).as(kind).isPresent();
            assertThat(warmUp.get().isDaemon()).as("never holds the JVM open").isTrue();
            assertThat(warmUp.get().join(Duration.ofSeconds(60))).as("ends by itself").isTrue();
        }
        for (String kind : new String[] {"", "cli", "build-remote", "records-remote", "serve", "controller", "worker"}) {
            assertThat(StartUpWarmUp.begin(kind)).as(kind).isEmpty();
        }
    }
}
