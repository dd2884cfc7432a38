package io.strata.cli.tokens;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.util.Optional;

/** Opens the store the configuration names, for the tables the service keeps in it: API tokens, autorebuild policies. */
public final class TokenStore {
    private TokenStore() {}

    public static JdbcBuildStore open(ConfigOptions options, PrintWriter err) throws StrataException {
        return BuildStores.open(options.load(err).config().strata().storeUrl(), Optional.empty(), Optional.empty());
    }
}
