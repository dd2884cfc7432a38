package io.strata.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Strata's own settings, read from the {@code strata_*} keys of the instance section.
 *
 * @param engine           where worker builds run
 * @param storeUrl         JDBC URL of the build store (embedded SQLite under {@code home} unless set)
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
     * The embedded store used when {@code strata_store_url} is not set: a SQLite database in WAL
     * mode at {@code <home>/store/strata.db}, which any number of strata processes of this machine
     * share safely (docs/store.md).
     */
    public static String embeddedStoreUrl(Path home) {
        return "jdbc:sqlite:" + home.resolve("store").resolve("strata.db").toAbsolutePath().normalize();
    }

    /**
     * Where the local engine keeps one bare repository per git repository it has built from, so a
     * later build fetches only what is new ({@code <home>/cache/git}; docs/builds.md, "Checkout").
     */
    public Path gitCacheDir() {
        return home.resolve("cache").resolve("git");
    }

    /**
     * Where the local engine remembers the version of the buildah binary it runs, so a command need
     * not start buildah to ask ({@code <home>/cache/buildah-version}; docs/builds.md, "Build avoidance").
     */
    public Path buildahVersionFile() {
        return home.resolve("cache").resolve("buildah-version");
    }
}
