package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthChallengeTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("Basic realm=\"Registry Realm\"", List.of(new AuthChallenge.Basic("Registry Realm"))),
                Arguments.of("basic realm=strata-test", List.of(new AuthChallenge.Basic("strata-test"))),
                Arguments.of("Basic", List.of(new AuthChallenge.Basic(""))),
                Arguments.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                + "scope=\"repository:library/busybox:pull\"",
                        List.of(new AuthChallenge.Bearer("https://auth.docker.io/token", Optional.of("registry.docker.io"),
                                Optional.of("repository:library/busybox:pull")))),
                // A scope with several actions holds a comma inside the quotes.
                Arguments.of("Bearer realm=\"http://127.0.0.1:9/token\", service=\"strata\", scope=\"repository:a/b:pull,push\"",
                        List.of(new AuthChallenge.Bearer("http://127.0.0.1:9/token", Optional.of("strata"),
                                Optional.of("repository:a/b:pull,push")))),
                Arguments.of("Bearer realm=\"https://quay.io/v2/auth\",service=\"quay.io\"",
                        List.of(new AuthChallenge.Bearer("https://quay.io/v2/auth", Optional.of("quay.io"), Optional.empty()))),
                Arguments.of("Bearer realm=\"https://a/t\", error=\"insufficient_scope\", Basic realm=\"b\"",
                        List.of(new AuthChallenge.Bearer("https://a/t", Optional.empty(), Optional.empty()),
                                new AuthChallenge.Basic("b"))),
                Arguments.of("Bearer realm=\"say \\\"hi\\\"\"",
                        List.of(new AuthChallenge.Bearer("say \"hi\"", Optional.empty(), Optional.empty()))),
                Arguments.of("Negotiate abc==, Basic realm=\"x\"", List.of(new AuthChallenge.Basic("x"))),
                Arguments.of("Bearer service=\"no realm\"", List.of()),
                Arguments.of("", List.of()),
                Arguments.of(" , ,", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("headers")
    void parsesWwwAuthenticate(String header, List<AuthChallenge> expected) {
        assertThat(AuthChallenge.parse(header)).isEqualTo(expected);
    }
}
