package io.strata.bench;

import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.nio.file.Path;

/**
 * What the build benchmarks start from: a registry on loopback holding a busybox base image
 * ({@link #base}), the buildah fixture that made it, and an empty git repository under
 * {@code work/repo}. Closed together, the repository first.
 */
record BenchParts(RegistryFixture registry, BuildahFixture buildah, GitRepoFixture repo, String base) implements AutoCloseable {
    static final String BASE_IMAGE = "bench/busybox:1";

    static BenchParts start(Path work) throws Exception {
        return start(work, true);
    }

    /**
     * {@code basicAuth}: the registry checks htpasswd (bcrypt) credentials on every request, as the
     * tests' registry does; without, it answers anyone, as a registry with token authentication
     * answers a client holding a token without checking a password hash each time.
     */
    static BenchParts start(Path work, boolean basicAuth) throws Exception {
        RegistryFixture registry = basicAuth ? RegistryFixture.start() : RegistryFixture.startWithoutAuth();
        BuildahFixture buildah = null;
        try {
            buildah = BuildahFixture.create();
            GitRepoFixture repo = GitRepoFixture.create(work.resolve("repo"));
            buildah.makeBusyboxBaseImage(BASE_IMAGE, registry);
            return new BenchParts(registry, buildah, repo, registry.reference(BASE_IMAGE));
        } catch (Exception | Error e) {
            if (buildah != null) {
                buildah.close();
            }
            registry.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try (RegistryFixture r = registry; BuildahFixture b = buildah; GitRepoFixture g = repo) {
            // closed in reverse order: the repository, buildah, then the registry
        }
    }
}
