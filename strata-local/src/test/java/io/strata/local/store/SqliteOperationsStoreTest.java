package io.strata.local.store;

import io.strata.core.config.StrataSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The operations of the store on the embedded SQLite database. */
class SqliteOperationsStoreTest extends OperationsStoreContract {
    @TempDir
    Path strataHome;

    @Override
    protected BuildStoreContract.Target emptyDatabase() {
        return new BuildStoreContract.Target(StrataSettings.embeddedStoreUrl(strataHome), Optional.empty(), Optional.empty());
    }
}
