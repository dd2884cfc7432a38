package io.strata.worker;

import io.strata.registry.RegistryClient;
import io.strata.testkit.RegistryFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The worker integration tests that use one {@link OpenRegistry} for the whole class. */
public abstract class AgainstOpenRegistry {
    protected static OpenRegistry open;
    protected static RegistryFixture registry;
    protected static RegistryClient client;

    @BeforeAll
    static void startRegistry() {
        open = OpenRegistry.start();
        registry = open.registry();
        client = open.client();
    }

    @AfterAll
    static void stopRegistry() {
        open.close();
    }
}
