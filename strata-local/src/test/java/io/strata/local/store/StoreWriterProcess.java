package io.strata.local.store;

import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.store.BuildStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store writer in its own JVM, as a `strata build` process is one, for {@link EmbeddedStoreProcessesIT}:
 * opens the store at the URL given, then creates a build, moves it to RUNNING, reserves the next
 * release of the component, appends log lines and moves it to COMPLETE, and prints
 * {@code "<id> <release>"} once the COMPLETE move has committed: what it printed is acknowledged.
 * With {@code loop} it goes on until killed.
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String component = args[1];
        boolean loop = args.length > 2 && args[2].equals("loop");
        try (BuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            do {
                BuildRecord build = store.create(BuildStoreContract.request(component), Map.of(), "{}");
                store.transition(build.id(), BuildState.RUNNING, Optional.empty());
                int release = store.reserveNextRelease(component, "1.0");
                List<LogLine> lines = new ArrayList<>();
                for (int n = 1; n <= 50; n++) {
                    lines.add(new LogLine(n, Instant.now(), "build", "line " + n + " of " + build.id()));
                }
                store.appendLog(build.id(), lines);
                store.transition(build.id(), BuildState.COMPLETE, Optional.empty());
                System.out.println(build.id() + " " + release);
                System.out.flush();
            } while (loop);
        }
    }
}
