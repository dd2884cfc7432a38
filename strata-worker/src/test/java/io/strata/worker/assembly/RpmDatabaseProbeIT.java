package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against a real registry: images whose layers are tars made by GNU tar, pushed through
 * the blob API. It answers "none" only without an rpm binary and database and without a dpkg status
 * file, counts what a lower layer holds even when an upper one deletes it (a doubt costs a working
 * container, never a wrong answer), and reads a layer once however many images and builds share it.
 */
class RpmDatabaseProbeIT extends io.strata.worker.AgainstOpenRegistry {

    @TempDir
    Path dir;

    @Test
    void onlyAnImageWithoutRpmAndDpkgDatabasesHasCertainlyNothingToList() throws Exception {
        String plain = layer("plain", "bin/busybox", "etc/hostname");
        String rpm = layer("rpm", "usr/bin/rpm", "var/lib/rpm/Packages");
        String rpmBinaryOnly = layer("rpm-binary", "usr/bin/rpm");
        String dpkg = layer("dpkg", "var/lib/dpkg/status");
        String deletesRpm = layer("deletes-rpm", "var/lib/.wh.rpm", "usr/bin/.wh.rpm");
        RpmDatabaseProbe probe = new RpmDatabaseProbe(client);

        assertThat(probe.certainlyNone(image("probe/plain", plain), Platform.current())).isTrue();
        assertThat(probe.certainlyNone(image("probe/rpm", plain, rpm), Platform.current())).isFalse();
        assertThat(probe.certainlyNone(image("probe/rpm-binary", plain, rpmBinaryOnly), Platform.current())).isTrue();
        assertThat(probe.certainlyNone(image("probe/dpkg", dpkg), Platform.current())).isFalse();
        assertThat(probe.certainlyNone(image("probe/deleted", plain, rpm, deletesRpm), Platform.current()))
                .as("a deletion above leaves a doubt").isFalse();
    }

    @Test
    void aLayerReadOnceIsNotReadAgainForAnotherImageOrBuild() throws Exception {
        String base = layer("base", "bin/busybox");
        String top = layer("top", "app/hello");
        ImageReference parent = image("probe/parent", base);
        ImageReference built = image("probe/built", base, top);
        RpmDatabaseProbe probe = new RpmDatabaseProbe(client);

        probe.learnAhead(List.of(parent.toString()), Platform.current());
        assertThat(probe.certainlyNone(built, Platform.current())).isTrue();
        // The base layer leaves the registry: only a probe that remembered it can still answer.
        deleteBlob("probe/parent", base);
        deleteBlob("probe/built", base);

        assertThatThrownBy(() -> new RpmDatabaseProbe(client).certainlyNone(built, Platform.current()))
                .as("a new probe must read the base layer, which is gone").isInstanceOf(RegistryException.class);
        assertThat(probe.certainlyNone(built, Platform.current())).isTrue();
    }

    @Test
    void parentsHoldPackagesOnlyWhenALearntParentHasAnRpmOrDpkgDatabase() throws Exception {
        String plain = layer("plain", "bin/busybox");
        String rpm = layer("rpm", "usr/bin/rpm", "var/lib/rpm/Packages");
        String dpkg = layer("dpkg", "var/lib/dpkg/status");
        String withRpm = image("probe/with-rpm", plain, rpm).toString();
        String withDpkg = image("probe/with-dpkg", plain, dpkg).toString();
        String without = image("probe/without", plain).toString();
        RpmDatabaseProbe probe = new RpmDatabaseProbe(client);

        assertThat(probe.parentsHoldPackages(List.of(withRpm))).as("not learnt: unknown, so no").isFalse();
        probe.learnAhead(List.of(withRpm, withDpkg, without), Platform.current());

        assertThat(probe.parentsHoldPackages(List.of(withRpm))).isTrue();
        assertThat(probe.parentsHoldPackages(List.of(withDpkg))).isTrue();
        assertThat(probe.parentsHoldPackages(List.of(without))).isFalse();
        assertThat(probe.parentsHoldPackages(List.of(without, withRpm))).isTrue();
    }

    /** A gzip'd tar of empty files at {@code paths}, kept for {@link #image}; its digest. */
    private String layer(String name, String... paths) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        for (String path : paths) {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        }
        Path tar = dir.resolve(name + ".tar.gz");
        Process process = new ProcessBuilder("tar", "-C", root.toString(), "-czf", tar.toString(), ".")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor()).isZero();
        byte[] bytes = Files.readAllBytes(tar);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        layers.put(digest, bytes);
        return digest;
    }

    private static void deleteBlob(String repository, String digest) throws Exception {
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + registry.host() + "/v2/"
                    + repository + "/blobs/" + digest)).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as("DELETE blob " + digest + " of " + repository).isEqualTo(202);
        }
    }

    private final java.util.Map<String, byte[]> layers = new java.util.HashMap<>();

    /** An image of {@code layerDigests} (bottom first) in {@code repository}, under tag "1". */
    private ImageReference image(String repository, String... layerDigests) throws Exception {
        ImageReference target = ImageReference.parse(registry.reference(repository));
        StringBuilder layerJson = new StringBuilder();
        for (String digest : layerDigests) {
            byte[] bytes = layers.get(digest);
            client.blobs().upload(target, bytes);
            layerJson.append(layerJson.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    + "\"digest\":\"").append(digest).append("\",\"size\":").append(bytes.length).append('}');
        }
        byte[] config = ("{\"architecture\":\"" + Platform.current().architecture() + "\",\"os\":\"linux\",\"rootfs\":"
                + "{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = client.blobs().upload(target, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + layerJson + "]}").getBytes(StandardCharsets.UTF_8);
        String digest = client.blobs().putManifest(target, "1", "application/vnd.oci.image.manifest.v1+json", manifest);
        return target.pinnedTo(digest);
    }
}
