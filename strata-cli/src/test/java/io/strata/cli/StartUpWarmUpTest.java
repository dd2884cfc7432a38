package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A command handed to a build service warms up the client; otherwise the store's warm-up is begun for
 * the launcher's kinds of command that open the embedded store in their own process
 * (scripts/lib/command-kind.sh), and for no other: the service itself (which opens its store once)
 * and the short commands spend no CPU on it.
 */
class StartUpWarmUpTest {
    private static final StrataEnvironment NO_SERVICE =
            new StrataEnvironment(Map.of(), Path.of("/nonexistent/osbs.conf"), Path.of("/nonexistent"));

    @Test
    void onlyCommandsThatOpenTheEmbeddedStoreWarmItUp() throws Exception {
        for (String kind : new String[] {"build", "demo", "records"}) {
            Optional<Thread> warmUp = StartUpWarmUp.begin(kind, NO_SERVICE, "build");
            assertThat(warmUp).as(kind).isPresent();
            assertThat(warmUp.get().getName()).isEqualTo("strata-store-warm-up");
            assertThat(warmUp.get().isDaemon()).as("never holds the JVM open").isTrue();
            assertThat(warmUp.get().join(Duration.ofSeconds(60))).as("ends by itself").isTrue();
        }
        for (String kind : new String[] {"", "cli", "serve", "controller", "worker"}) {
            assertThat(StartUpWarmUp.begin(kind, NO_SERVICE, "list-builds")).as(kind).isEmpty();
        }
    }

    @Test
    void aCommandHandedToAServiceWarmsUpTheClientInstead() throws Exception {
        Optional<Thread> warmUp = StartUpWarmUp.begin("build-remote", NO_SERVICE, "build", "--server", "http://127.0.0.1:1");
        assertThat(warmUp).isPresent();
        assertThat(warmUp.get().getName()).isEqualTo("strata-remote-warm-up");
        assertThat(warmUp.get().join(Duration.ofSeconds(60))).as("ends by itself").isTrue();

        StrataEnvironment served = new StrataEnvironment(Map.of("STRATA_SERVER", "http://127.0.0.1:1"),
                Path.of("/nonexistent/osbs.conf"), Path.of("/nonexistent"));
        Optional<Thread> remote = StartUpWarmUp.begin("build", served, "build");
        assertThat(remote.map(Thread::getName)).contains("strata-remote-warm-up");
        // Waited for, as the others: a warm-up left running would overlap the later tests of this JVM.
        assertThat(remote.get().join(Duration.ofSeconds(60))).as("ends by itself").isTrue();
    }

    @Test
    void theExitLoggersLookUpIsBegunOncePerProcessOnADaemon() throws Exception {
        Optional<Thread> first = StartUpWarmUp.beginExitLogger();
        // (Another test's command line may have begun it already in this JVM.)
        first.ifPresent(thread -> {
            assertThat(thread.isDaemon()).as("never holds the JVM open").isTrue();
            try {
                assertThat(thread.join(Duration.ofSeconds(60))).as("ends by itself").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(StartUpWarmUp.beginExitLogger()).as("begun again").isEmpty();
    }
}
