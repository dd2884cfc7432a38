package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildahFixtureIT {
    @Test
    void busyboxBaseImageRunsAShell() {
        try (RegistryFixture registry = RegistryFixture.start(); BuildahFixture buildah = BuildahFixture.create()) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            Path authFile = registry.writeAuthFile(buildah.storageRoot().resolveSibling("auth.json"));

            String container = buildah.buildah("from", "--tls-verify=false", "--authfile", authFile.toString(),
                    registry.reference("base/busybox:1")).strip();
            String output = buildah.buildah("run", "--isolation", "chroot", container, "--",
                    "sh", "-c", "echo hello from $(basename $(readlink /bin/ls))");

            assertThat(output.strip()).isEqualTo("hello from busybox");
        }
    }

    @Test
    void manifestListHoldsOneImagePerPlatform() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start(); BuildahFixture buildah = BuildahFixture.create()) {
            String digest = buildah.makeManifestListBaseImage("base/multi:1", registry);

            JsonNode list = new ObjectMapper().readTree(registry.skopeoInspectRaw("base/multi:1"));
            List<String> platforms = new ArrayList<>();
            list.path("manifests").forEach(m -> platforms.add(
                    m.path("platform").path("os").asText() + "/" + m.path("platform").path("architecture").asText()));

            assertThat(digest).matches("sha256:[0-9a-f]{64}");
            assertThat(list.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
            assertThat(platforms).containsExactly("linux/amd64", "linux/arm64");
            String arm64 = list.path("manifests").get(1).path("digest").asText();
            assertThat(registry.skopeoInspect("base/multi@" + arm64).path("Architecture").asText()).isEqualTo("arm64");
        }
    }

    @Test
    void closeRemovesThePrivateStorage() {
        Path storage;
        try (BuildahFixture buildah = BuildahFixture.create()) {
            buildah.buildah("from", "scratch");
            storage = buildah.storageRoot();
            assertThat(storage).isDirectory();
        }
        assertThat(Files.exists(storage.getParent())).isFalse();
    }
}
