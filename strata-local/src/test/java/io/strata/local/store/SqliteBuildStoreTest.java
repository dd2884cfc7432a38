package io.strata.local.store;

import io.strata.core.config.StrataSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite database, as `strata` uses it by default. */
class SqliteBuildStoreTest extends BuildStoreContract {
    @TempDir
    Path strataHome;

    @Override
    protected Target emptyDatabase() {
        return new Target(StrataSettings.embeddedStoreUrl(strataHome), Optional.empty(), Optional.empty());
    }

    /** A database file under a regular file: its directory cannot be created. */
    @Override
    protected String unreachableUrl(String password) throws Exception {
        Path notADirectory = Files.writeString(strataHome.resolve("not-a-directory"), "");
        return "jdbc:sqlite:" + notADirectory.resolve("store/strata.db") + "?password=" + password;
    }
}
