package io.strata.core.render;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The seed's osbs.conf and build arguments, shared by the rendering and plan tests. */
public final class TestConfigs {
    public static final Path SEED_CONF = Path.of("src/test/resources/config/seed-osbs.conf");

    private TestConfigs() {}

    /** A source that reads only what a test gives it: no /etc/osbs.conf, no real environment. */
    public static ConfigSource hermetic() {
        return new ConfigSource(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                Path.of("/nonexistent/osbs.conf"), Path.of("/home/tester"));
    }

    public static Configuration seedConfig() {
        try {
            return ConfigLoader.load(hermetic().withConfigFile(SEED_CONF)).config();
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The seed configuration with one key overridden as if by a command-line flag. */
    public static Configuration seedConfigWith(String key, String value) {
        try {
            return ConfigLoader.load(hermetic().withConfigFile(SEED_CONF).withOverride(key, value)).config();
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The build arguments koji-containerbuild passed in the seed (task 6). */
    public static BuildRequest seedRequest() {
        return BuildRequest.builder()
                .component("docker-hello-world")
                .gitBranch("osbs-box-demo")
                .gitRef("origin/osbs-box-demo")
                .gitUri("git://github.com/sosiouxme/docker-hello-world")
                .kojiTaskId(6L)
                .platforms(List.of("x86_64"))
                .target("candidate")
                .user("kojiadmin")
                .build();
    }
}
