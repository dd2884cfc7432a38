package io.strata.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a registry's {@code WWW-Authenticate} header asks for: HTTP Basic, or a Bearer token from a
 * token service (the docker token protocol).
 */
sealed interface AuthChallenge {

    /** Send the user name and password with every request. */
    record Basic(String realm) implements AuthChallenge {}

    /**
     * Fetch a token from {@code realm} for {@code service} and {@code scope} and send it as
     * {@code Authorization: Bearer}.
     */
    record Bearer(String realm, Optional<String> service, Optional<String> scope) implements AuthChallenge {}

    /**
     * The challenges in one header value, such as
     * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"}.
     * Schemes other than Basic and Bearer are skipped; so is a Bearer challenge without a realm.
     */
    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        ChallengeTokenizer tokens = new ChallengeTokenizer(header);
        while (tokens.hasMore()) {
            String scheme = tokens.token().toLowerCase(Locale.ROOT);
            if (scheme.isEmpty()) {
                tokens.skipSeparator();
                continue;
            }
            Map<String, String> params = tokens.params();
            switch (scheme) {
                case "basic" -> challenges.add(new Basic(params.getOrDefault("realm", "")));
                case "bearer" -> {
                    if (params.containsKey("realm")) {
                        challenges.add(new Bearer(params.get("realm"),
                                Optional.ofNullable(params.get("service")), Optional.ofNullable(params.get("scope"))));
                    }
                }
                default -> { }
            }
        }
        return challenges;
    }
}
