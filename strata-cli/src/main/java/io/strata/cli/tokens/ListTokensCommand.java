package io.strata.cli.tokens;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.ApiToken;
import io.strata.local.store.JdbcBuildStore;
import io.strata.server.api.ApiJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata tokens list}: every token's id, user, role and dates; never a token itself (the store has none). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List API tokens (ids, users, dates).")
public final class ListTokensCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcBuildStore store = TokenStore.open(configOptions, spec.commandLine().getErr())) {
            List<ApiToken> tokens = store.apiTokens().list();
            if (json) {
                out.println(ApiJson.write(tokens));
            } else if (tokens.isEmpty()) {
                out.println("no API tokens yet; create one with `strata tokens create --user NAME`");
            } else {
                out.printf("%-17s %-20s %-6s %-21s %-21s %s%n", "ID", "USER", "ADMIN", "CREATED", "EXPIRES", "REVOKED");
                for (ApiToken t : tokens) {
                    out.printf("%-17s %-20s %-6s %-21s %-21s %s%n", t.id(), t.user(), t.admin() ? "yes" : "no",
                            time(Optional.of(t.createdAt())), time(t.expiresAt()), time(t.revokedAt()));
                }
            }
            out.flush();
            return 0;
        }
    }

    private static String time(Optional<Instant> at) {
        return at.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
    }
}
