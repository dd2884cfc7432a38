package io.strata.local.store;

import io.strata.core.build.BuildRecord;
import io.strata.core.store.BuildStore;
import io.strata.core.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for a second {@code strata} process in {@link H2SharedStoreIT}: opens the store at the
 * URL given, creates one build and prints its id, then keeps the store open until a line arrives
 * on stdin (or stdin closes) and exits.
 */
public final class SecondStrataProcess {
    private SecondStrataProcess() {}

    public static void main(String[] args) throws StoreException, IOException {
        try (BuildStore store = BuildStores.open(args[0], Optional.empty(), Optional.empty())) {
            BuildRecord build = store.create(BuildStoreContract.request(args[1]), Map.of(), "{}");
            System.out.println(build.id());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
