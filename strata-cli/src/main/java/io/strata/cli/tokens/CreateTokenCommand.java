package io.strata.cli.tokens;

import io.strata.cli.options.ConfigOptions;
import io.strata.cli.options.DurationConverter;
import io.strata.core.StrataException;
import io.strata.local.store.ApiTokens;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata tokens create --user NAME [--admin] [--expires-in 30d]}: prints the new token alone
 * on stdout (so {@code TOKEN=$(strata tokens create --user ci)} works) and its id on stderr. The
 * token is shown this once; the store keeps only its SHA-256.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create an API token for a user and print it (shown once).")
public final class CreateTokenCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user the token acts as.")
    String user;

    @Option(names = "--admin", description = "The token sees and cancels every user's builds.")
    boolean admin;

    @Option(names = "--expires-in", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Lifetime, e.g. 90m, 12h, 30d (default: until revoked).")
    Duration expiresIn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (JdbcBuildStore store = TokenStore.open(configOptions, err)) {
            ApiTokens.Created created = store.apiTokens().create(user, admin, Optional.ofNullable(expiresIn));
            out.println(created.secret());
            out.flush();
            err.println("strata: created token " + created.token().id() + " for " + user + (admin ? " (admin)" : "")
                    + created.token().expiresAt().map(at -> ", expires " + at).orElse(""));
            err.flush();
            return 0;
        }
    }
}
