package io.strata.local.store;

import io.strata.core.config.StrataSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, as `strata` uses it by default. */
class H2BuildStoreTest extends BuildStoreContract {
    @TempDir
    Path strataHome;

    @Override
    protected Target emptyDatabase() {
        return new Target(StrataSettings.embeddedStoreUrl(strataHome), Optional.empty(), Optional.empty());
    }

    /** A database file under a regular file: H2 cannot create it. */
    @Override
    protected String unreachableUrl(String password) throws Exception {
        Path notADirectory = Files.writeString(strataHome.resolve("not-a-directory"), "");
        return "jdbc:h2:file:" + notADirectory.resolve("strata") + ";PASSWORD=" + password;
    }
}
