package io.strata.testkit;

import java.util.List;

/**
 * What a real build needs, started together for a test class: a registry without auth on a free
 * loopback port, buildah with private storage, and a busybox base image pushed to that registry as
 * {@link #BASE}. Closed in reverse order; a part that failed to start leaves nothing running.
 */
public final class BuildParts implements AutoCloseable {
    /** Repository and tag of the base image in {@link #registry()}. */
    public static final String BASE = "base/busybox:1";

    private final RegistryFixture registry;
    private final BuildahFixture buildah;

    private BuildParts(RegistryFixture registry, BuildahFixture buildah) {
        this.registry = registry;
        this.buildah = buildah;
    }

    public static BuildParts start() {
        return start(List.of());
    }

    /**
     * The same parts, with {@link #BASE} an image index of one busybox image per OCI architecture in
     * {@code arches} ({@code amd64}, {@code arm64}, {@code s390x}, {@code ppc64le}), each with its own
     * platform's busybox; empty: the single amd64 image.
     */
    public static BuildParts start(List<String> arches) {
        RegistryFixture registry = RegistryFixture.startWithoutAuth();
        BuildahFixture buildah = null;
        try {
            buildah = BuildahFixture.create();
            if (arches.isEmpty()) {
                buildah.makeBusyboxBaseImage(BASE, registry);
            } else {
                buildah.makeMultiPlatformBusyboxImage(BASE, registry, arches);
            }
            return new BuildParts(registry, buildah);
        } catch (RuntimeException | Error e) {
            if (buildah != null) {
                buildah.close();
            }
            registry.close();
            throw e;
        }
    }

    public RegistryFixture registry() {
        return registry;
    }

    public BuildahFixture buildah() {
        return buildah;
    }

    /** The base image's full reference, {@code host:port/base/busybox:1}. */
    public String baseImage() {
        return registry.reference(BASE);
    }

    @Override
    public void close() {
        try {
            buildah.close();
        } finally {
            registry.close();
        }
    }
}
