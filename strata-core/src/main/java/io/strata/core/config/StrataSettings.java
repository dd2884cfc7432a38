package io.strata.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Strata's own settings, read from the {@code strata_*} keys of the instance section.
 *
 * @param engine           where worker builds run
 * @param storeUrl         JDBC URL of the build store (embedded H2 under {@code home} unless set)
 * @param registryAuthFile a docker/podman {@code auth.json}, when registry credentials are needed
 * @param concurrency      how many builds run at once on this machine (at least 1)
 * @param home             where Strata keeps its state
 * @param buildahRoot      buildah storage of Strata's own; empty for the system's storage
 */
public record StrataSettings(StrataEngine engine, String storeUrl, Optional<Path> registryAuthFile, int concurrency, Path home,
        Optional<Path> buildahRoot) {

    public StrataSettings {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(registryAuthFile, "registryAuthFile");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(buildahRoot, "buildahRoot");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }

    /**
     * The embedded store used when {@code strata_store_url} is not set: an H2 file database at
     * {@code <home>/store/strata.mv.db}. AUTO_SERVER lets several strata processes use it at once (a
     * build and a {@code strata build-logs --follow} beside it): the first process opens the file and
     * serves the others over loopback; when it exits, the next one takes over.
     */
    public static String embeddedStoreUrl(Path home) {
        return "jdbc:h2:file:" + home.resolve("store").resolve("strata").toAbsolutePath().normalize() + ";AUTO_SERVER=TRUE";
    }
}
