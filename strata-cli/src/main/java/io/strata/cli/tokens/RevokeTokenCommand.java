package io.strata.cli.tokens;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata tokens revoke ID}: the token stops working at once, on every server of the store. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token by its id.")
public final class RevokeTokenCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "ID", description = "The token id, as `strata tokens list` shows it (tok-...).")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbcBuildStore store = TokenStore.open(configOptions, spec.commandLine().getErr())) {
            out.println(store.apiTokens().revoke(id).id());
            out.flush();
            return 0;
        }
    }
}
