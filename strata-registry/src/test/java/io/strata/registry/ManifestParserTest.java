package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String LAYER_1 = "sha256:" + "1".repeat(64);
    private static final String LAYER_2 = "sha256:" + "2".repeat(64);
    private static final String AMD64 = "sha256:" + "a".repeat(64);
    private static final String ARM64 = "sha256:" + "b".repeat(64);
    private static final String ATTESTATION = "sha256:" + "e".repeat(64);
    private static final String DIGEST = "sha256:" + "d".repeat(64);

    private static final String DOCKER_MANIFEST = """
            {"schemaVersion": 2,
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": "%s"},
             "layers": [
               {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2000000, "digest": "%s"},
               {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 531, "digest": "%s"}]}
            """.formatted(CONFIG, LAYER_1, LAYER_2);

    private static final String OCI_MANIFEST_WITHOUT_MEDIA_TYPE = """
            {"schemaVersion": 2,
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 10, "digest": "%s"},
             "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 20, "digest": "%s"}],
             "annotations": {"org.opencontainers.image.created": "2026-01-01T00:00:00Z"}}
            """.formatted(CONFIG, LAYER_1);

    private static final String OCI_INDEX = """
            {"schemaVersion": 2,
             "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [
               {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 500, "digest": "%s",
                "platform": {"architecture": "amd64", "os": "linux"}},
               {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 501, "digest": "%s",
                "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
               {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 840, "digest": "%s",
                "platform": {"architecture": "unknown", "os": "unknown"},
                "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}]}
            """.formatted(AMD64, ARM64, ATTESTATION);

    @Test
    void readsADockerSchema2Manifest() throws RegistryException {
        Manifest manifest = parse(Optional.of(MediaTypes.DOCKER_MANIFEST), DOCKER_MANIFEST);

        assertThat(manifest).isEqualTo(new ImageManifest(MediaTypes.DOCKER_MANIFEST, DIGEST,
                new Descriptor("application/vnd.docker.container.image.v1+json", CONFIG, 1469),
                List.of(new Descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", LAYER_1, 2_000_000),
                        new Descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", LAYER_2, 531)),
                DOCKER_MANIFEST.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        ImageManifest image = (ImageManifest) manifest;
        assertThat(image.layerDigests()).containsExactly(LAYER_1, LAYER_2);
        assertThat(image.totalSize()).isEqualTo(1469 + 2_000_000 + 531);
    }

    @Test
    void takesTheMediaTypeFromTheHeaderThenTheBodyThenTheShape() throws RegistryException {
        assertThat(parse(Optional.of(MediaTypes.OCI_MANIFEST + "; charset=utf-8"), OCI_MANIFEST_WITHOUT_MEDIA_TYPE).mediaType())
                .isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parse(Optional.of("application/json"), DOCKER_MANIFEST).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(parse(Optional.empty(), OCI_MANIFEST_WITHOUT_MEDIA_TYPE).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parse(Optional.empty(), OCI_INDEX.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "")))
                .isInstanceOf(ManifestList.class);
    }

    @Test
    void readsAnOciIndexSkippingEntriesWithoutARealPlatform() throws RegistryException {
        Manifest manifest = parse(Optional.of(MediaTypes.OCI_INDEX), OCI_INDEX);

        assertThat(manifest).isEqualTo(new ManifestList(MediaTypes.OCI_INDEX, DIGEST, List.of(
                new ManifestList.Entry(new Descriptor(MediaTypes.OCI_MANIFEST, AMD64, 500), Platform.parse("linux/amd64")),
                new ManifestList.Entry(new Descriptor(MediaTypes.OCI_MANIFEST, ARM64, 501), Platform.parse("linux/arm64/v8")))));
    }

    @Test
    void readsADockerManifestList() throws RegistryException {
        String list = OCI_INDEX.replace(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST)
                .replace(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

        ManifestList manifest = (ManifestList) parse(Optional.of(MediaTypes.DOCKER_MANIFEST_LIST), list);

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(manifest.platforms()).containsExactly(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"));
    }

    @Test
    void schema1IsNotAnImageManifestStrataReads() {
        String schema1 = "{\"schemaVersion\": 1, \"name\": \"app\", \"tag\": \"1\", \"fsLayers\": []}";

        assertThatThrownBy(() -> parse(Optional.of("application/vnd.docker.distribution.manifest.v1+prettyjws"), schema1))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.NOT_AN_IMAGE_MANIFEST);
                    assertThat(e.getMessage()).isEqualTo("the manifest of quay.io/team/app:1 has media type"
                            + " 'application/vnd.docker.distribution.manifest.v1+prettyjws', which Strata does not read"
                            + " (it reads docker v2 schema 2 and OCI manifests and their lists)");
                });
        assertThatThrownBy(() -> parse(Optional.empty(), schema1))
                .hasMessageContaining("has media type 'unknown (schema version 1)'");
    }

    @Test
    void malformedManifestsAreRegistryErrorsNamingTheImage() {
        assertThatThrownBy(() -> parse(Optional.of(MediaTypes.OCI_MANIFEST), "{not json"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("the registry sent a malformed manifest for quay.io/team/app:1: it is not valid JSON");
        assertThatThrownBy(() -> parse(Optional.of(MediaTypes.OCI_MANIFEST), "{\"schemaVersion\": 2, \"layers\": []}"))
                .hasMessage("the registry sent a malformed manifest for quay.io/team/app:1: it has no \"config\"");
        assertThatThrownBy(() -> parse(Optional.of(MediaTypes.OCI_MANIFEST), DOCKER_MANIFEST.replace(LAYER_2, "sha256:zz")))
                .hasMessageContaining("malformed manifest for quay.io/team/app:1: descriptor: the digest 'sha256:zz' is not");
        assertThatThrownBy(() -> parse(Optional.of(MediaTypes.OCI_MANIFEST), DOCKER_MANIFEST.replace("\"size\": 531, ", "")))
                .hasMessage("the registry sent a malformed manifest for quay.io/team/app:1: \"layers[]\" has no size");
    }

    private static Manifest parse(Optional<String> contentType, String body) throws RegistryException {
        return ManifestParser.parse(ImageReference.parse("quay.io/team/app:1"), contentType, DIGEST,
                body.getBytes(StandardCharsets.UTF_8));
    }
}
