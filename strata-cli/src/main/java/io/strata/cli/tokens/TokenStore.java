package io.strata.cli.tokens;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.local.store.BuildStores;
import io.strata.local.store.JdbcBuildStore;
import java.io.PrintWriter;
import java.util.Optional;

/** Opens the store the configuration names, for its API tokens. */
final class TokenStore {
    private TokenStore() {}

    static JdbcBuildStore open(ConfigOptions options, PrintWriter err) throws StrataException {
        return BuildStores.open(options.load(err).config().strata().storeUrl(), Optional.empty(), Optional.empty());
    }
}
