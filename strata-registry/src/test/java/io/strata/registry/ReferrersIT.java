package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Referrers} against distribution 2.8 with htpasswd auth, which has no referrers API: the
 * artifacts are pushed with the image as subject and listed through the referrers tag, which skopeo
 * reads as an OCI index.
 */
class ReferrersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryFixture registry;
    private static BuildahFixture buildah;
    private static RegistryClient client;
    private static String digest;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pushImage() throws RegistryException {
        registry = RegistryFixture.start();
        buildah = BuildahFixture.create();
        digest = buildah.makeBusyboxBaseImage("app/one:1", registry);
        client = new RegistryClient(RegistryClientConfig.defaults()
                .withAuthFile(RegistryAuthFile.load(registry.writeAuthFile(dir.resolve("auth.json")))));
    }

    @AfterAll
    static void cleanUp() {
        client.close();
        buildah.close();
        registry.close();
    }

    @Test
    void attachedArtifactsAreListedThroughTheReferrersTagOnceEach() throws Exception {
        Referrers referrers = new Referrers(client);
        ImageReference repository = ImageReference.parse(registry.reference("app/one"));
        SubjectManifest subject = referrers.subject(repository.pinnedTo(digest));
        assertThat(subject.digest()).isEqualTo(digest);

        byte[] sbom = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
        AttachedArtifact first = referrers.attach(repository, subject, "application/vnd.cyclonedx+json",
                "application/vnd.cyclonedx+json", sbom, Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
        AttachedArtifact again = referrers.attach(repository, subject, "application/vnd.cyclonedx+json",
                "application/vnd.cyclonedx+json", sbom, Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
        AttachedArtifact second = referrers.attach(repository, subject, "application/vnd.in-toto+json",
                "application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(first.referrersApi()).isFalse();
        assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(referrers.list(repository, digest)).extracting(Referrer::digest, Referrer::artifactType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.manifestDigest(), "application/vnd.cyclonedx+json"),
                        org.assertj.core.groups.Tuple.tuple(second.manifestDigest(), "application/vnd.in-toto+json"));
        JsonNode manifest = referrers.artifactManifest(repository, first.manifestDigest());
        assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(digest);
        assertThat(manifest.path("subject").path("size").asLong()).isEqualTo(subject.size());
        assertThat(referrers.blob(repository, manifest.path("layers").path(0).path("digest").asText())).isEqualTo(sbom);

        // Another tool sees the same: the referrers tag is an OCI index naming both artifacts.
        JsonNode index = JSON.readTree(registry.skopeoInspectRaw("app/one:" + Referrers.referrersTag(digest)));
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(2);
    }

    @Test
    void anImageWithoutArtifactsHasNoReferrers() throws Exception {
        String other = buildah.makeBusyboxBaseImage("app/two:1", registry);
        assertThat(new Referrers(client).list(ImageReference.parse(registry.reference("app/two")), other)).isEmpty();
    }
}
