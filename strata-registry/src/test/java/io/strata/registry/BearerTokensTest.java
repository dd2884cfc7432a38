package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerTokensTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest(name = "expires_in {0}s: kept {1}s")
    @CsvSource({
            "300, 290",   // long-lived: renewed 10 s early
            "20,  10",    // short-lived: renewed at half its life
            "0,   50",    // no lifetime given: the protocol's 60 s default
            "-5,  50"})
    void keepsATokenUntilShortlyBeforeItExpires(long expiresIn, long keptSeconds) {
        ManualClock clock = new ManualClock();
        BearerTokens tokens = new BearerTokens(clock);
        tokens.remember("quay.io", "repository:a:pull", "token-1", Optional.of(expiresIn));

        clock.advance(Duration.ofSeconds(keptSeconds).minusMillis(1));
        assertThat(tokens.cached("quay.io", "repository:a:pull")).contains("token-1");
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.cached("quay.io", "repository:a:pull")).isEmpty();
    }

    @Test
    void tokensArePerRegistryAndScope() {
        BearerTokens tokens = new BearerTokens(new ManualClock());
        tokens.remember("quay.io", "repository:a:pull", "pull-a", Optional.empty());
        tokens.remember("quay.io", "repository:a:delete", "delete-a", Optional.empty());

        assertThat(tokens.cached("quay.io", "repository:a:pull")).contains("pull-a");
        assertThat(tokens.cached("quay.io", "repository:a:delete")).contains("delete-a");
        assertThat(tokens.cached("quay.io", "repository:b:pull")).isEmpty();
        assertThat(tokens.cached("ghcr.io", "repository:a:pull")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @CsvSource(delimiter = '|', value = {
            "https://auth.docker.io/token | registry.docker.io | repository:library/busybox:pull"
                    + " | https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fbusybox%3Apull",
            "https://quay.io/v2/auth | quay.io | '' | https://quay.io/v2/auth?service=quay.io&scope=repository%3Ateam%2Fapp%3Apull",
            "http://127.0.0.1:9/token?tenant=x | '' | repository:a:pull,push"
                    + " | http://127.0.0.1:9/token?tenant=x&scope=repository%3Aa%3Apull%2Cpush"})
    void asksTheTokenServiceForTheChallengesScopeOrTheRequests(String realm, String service, String scope, String expected)
            throws RegistryException {
        AuthChallenge.Bearer challenge = new AuthChallenge.Bearer(realm,
                service.isEmpty() ? Optional.empty() : Optional.of(service),
                scope.isEmpty() ? Optional.empty() : Optional.of(scope));
        RegistryRequest request = RegistryRequest.manifest("GET", ImageReference.parse("quay.io/team/app"), "latest");

        assertThat(BearerTokens.tokenUri(challenge, request.scope())).hasToString(expected);
    }
}
