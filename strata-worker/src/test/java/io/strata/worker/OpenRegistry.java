package io.strata.worker;

import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import io.strata.dockerfile.Dockerfile;
import io.strata.registry.ImageReference;
import io.strata.registry.MediaTypes;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.RegistryFixture;
import io.strata.worker.git.CheckedOutSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A registry without authentication and a Strata client of it, for the worker's integration
 * tests (the test kit depends on nothing of Strata, so it cannot hold the client), and what those
 * tests put in it: a one-layer image, and a worker state that has an image to push or has pushed one.
 */
public record OpenRegistry(RegistryFixture registry, RegistryClient client) implements AutoCloseable {
    public static OpenRegistry start() {
        RegistryFixture registry = RegistryFixture.startWithoutAuth();
        return new OpenRegistry(registry,
                new RegistryClient(RegistryClientConfig.defaults().withInsecureRegistries(Set.of(registry.host()))));
    }

    /** An image's blobs in the registry, and the manifest naming them (not stored). */
    record OneLayerImage(ImageReference repository, String layerDigest, String configDigest, byte[] manifest, long size) {}

    /** Stores a layer and a config in {@code name} and writes the OCI manifest naming them. */
    OneLayerImage oneLayerImage(String name, byte[] layer, String config) throws Exception {
        ImageReference repository = ImageReference.parse(registry.host() + "/" + name);
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String layerDigest = client.blobs().upload(repository, layer);
        String configDigest = client.blobs().upload(repository, configBytes);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + configBytes.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return new OneLayerImage(repository, layerDigest, configDigest, manifest, layer.length + configBytes.length);
    }

    /** A worker state after add_labels_in_dockerfile for component c, image {@code name} 1-1, from scratch. */
    static WorkerState identified(BuildId id, Path workspace, String name) throws Exception {
        var request = BuildRequest.builder().component("c").gitUri("file:///r").gitRef("main").build();
        Dockerfile dockerfile = Dockerfile.parse("FROM scratch\n");
        return WorkerState.initial(id, request, Platform.current(), workspace, Instant.EPOCH)
                .withSource(new CheckedOutSource(workspace, "0".repeat(40), Instant.EPOCH), dockerfile)
                .withIdentity(dockerfile, new ImageIdentity("c", name, "1", "1", Map.of()));
    }

    @Override
    public void close() {
        client.close();
        registry.close();
    }
}
