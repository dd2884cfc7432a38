package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegistryRetryTest {
    final AtomicLong now = new AtomicLong();
    final List<Duration> waits = new ArrayList<>();
    final List<String> progress = new ArrayList<>();

    RegistryRetry retry(Duration timeout) {
        return new RegistryRetry(timeout, duration -> {
            waits.add(duration);
            now.addAndGet(duration.toNanos());
        }, now::get);
    }

    static RegistryException refused() {
        return RegistryErrors.unreachable("127.0.0.1:5000", "connection refused", null, true);
    }

    @Test
    void passingFailuresAreTriedAgainWithGrowingWaitsUntilTheRegistryAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String result = retry(Duration.ofMinutes(2)).call("127.0.0.1:5000", "pushing app:1", () -> {
            if (calls.incrementAndGet() < 4) {
                throw refused();
            }
            return "sha256:abc";
        }, progress::add);

        assertThat(result).isEqualTo("sha256:abc");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(progress).first().asString().isEqualTo(
                "registry 127.0.0.1:5000: connection refused while pushing app:1; trying again in 1s (attempt 2)");
    }

    @Test
    void waitsStopGrowingAtTheirCeiling() throws Exception {
        assertThatThrownBy(() -> retry(Duration.ofMinutes(3)).call("r:1", "pushing", () -> {
            throw refused();
        }, progress::add)).isInstanceOf(RegistryException.class);

        assertThat(waits).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void aRegistryThatNeverComesBackEndsInOneSentenceWithTheLastError() {
        assertThatThrownBy(() -> retry(Duration.ofSeconds(10)).call("127.0.0.1:5000", "pushing 127.0.0.1:5000/app:1", () -> {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "registry answered HTTP 503 with a long body",
                    "", null, "HTTP 503");
        }, progress::add)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_UNREACHABLE);
            assertThat(e.getMessage()).isEqualTo("registry 127.0.0.1:5000 kept failing while pushing 127.0.0.1:5000/app:1"
                    + " (4 attempts over 7s); last error: HTTP 503");
            assertThat(e.hint()).contains("strata_registry_retry_timeout");
        });
    }

    @Test
    void aFailureThatDoesNotPassIsNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        RegistryException denied = new RegistryException(RegistryException.Reason.REGISTRY_AUTH_FAILED, "denied", "log in");

        assertThatThrownBy(() -> retry(Duration.ofMinutes(2)).call("r:1", "pushing", () -> {
            calls.incrementAndGet();
            throw denied;
        }, progress::add)).isSameAs(denied);
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void withoutRetryingTheFirstFailureIsReportedAsItWas() {
        RegistryException refused = refused();

        assertThatThrownBy(() -> RegistryRetry.none().call("r:1", "pushing", () -> {
            throw refused;
        }, progress::add)).isSameAs(refused);
    }
}
