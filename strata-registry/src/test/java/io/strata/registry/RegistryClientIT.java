package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.RegistryFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RegistryClient} and {@link Referrers} against a real distribution registry with htpasswd auth, checked with skopeo. */
class RegistryClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RegistryFixture registry;
    private static BuildahFixture buildah;
    private static String busyboxDigest;
    private static String listDigest;
    private static RegistryClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pushImages() throws RegistryException {
        registry = RegistryFixture.start();
        buildah = BuildahFixture.create();
        busyboxDigest = buildah.makeBusyboxBaseImage("base/busybox:1", registry);
        listDigest = buildah.makeManifestListBaseImage("base/multi:1", registry);
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
    void resolvesATagToTheDigestSkopeoReports() throws RegistryException {
        ResolvedImage resolved = client.resolve(reference("base/busybox:1"), Platform.linux("amd64"));

        assertThat(resolved.digest()).isEqualTo(registry.skopeoInspect("base/busybox:1").path("Digest").asText());
        assertThat(resolved.digest()).isEqualTo(busyboxDigest);
        assertThat(resolved.fromList()).isEmpty();
        assertThat(resolved.pinned()).hasToString(registry.host() + "/base/busybox@" + busyboxDigest);
    }

    @Test
    void resolvesAManifestListToThePlatformsEntry() throws Exception {
        JsonNode list = JSON.readTree(registry.skopeoInspectRaw("base/multi:1"));

        ResolvedImage amd64 = client.resolve(reference("base/multi:1"), Platform.fromKojiArch("x86_64"));
        ResolvedImage arm64 = client.resolve(reference("base/multi:1"), Platform.fromKojiArch("aarch64"));

        assertThat(amd64.digest()).isEqualTo(entryDigest(list, "amd64"));
        assertThat(arm64.digest()).isEqualTo(entryDigest(list, "arm64"));
        assertThat(amd64.digest()).isNotEqualTo(arm64.digest());
        assertThat(amd64.listDigest()).contains(listDigest);
        assertThat(amd64.fromList()).contains(new ResolvedImage.ListChoice(listDigest, Platform.linux("amd64")));
        assertThat(registry.skopeoInspect("base/multi@" + arm64.digest()).path("Architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void aPlatformTheListLacksIsNamedWithThePlatformsPresent() {
        assertThatThrownBy(() -> client.resolve(reference("base/multi:1"), Platform.fromKojiArch("s390x")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.PLATFORM_NOT_IN_MANIFEST_LIST);
                    assertThat(e.getMessage()).isEqualTo("manifest list " + registry.host() + "/base/multi:1 has no image"
                            + " for linux/s390x; it has linux/amd64, linux/arm64");
                });
    }

    @Test
    void manifestGivesTheLayersSkopeoSees() throws Exception {
        ImageManifest manifest = client.manifest(reference("base/busybox:1"));
        JsonNode inspected = registry.skopeoInspect("base/busybox:1");
        JsonNode raw = JSON.readTree(registry.skopeoInspectRaw("base/busybox:1"));

        List<String> skopeoLayers = new ArrayList<>();
        inspected.path("Layers").forEach(layer -> skopeoLayers.add(layer.asText()));
        long rawSize = raw.path("config").path("size").asLong();
        for (JsonNode layer : raw.path("layers")) {
            rawSize += layer.path("size").asLong();
        }

        assertThat(manifest.layerDigests()).isEqualTo(skopeoLayers).isNotEmpty();
        assertThat(manifest.digest()).isEqualTo(busyboxDigest);
        assertThat(manifest.mediaType()).isEqualTo(raw.path("mediaType").asText());
        assertThat(manifest.config().digest()).isEqualTo(raw.path("config").path("digest").asText());
        assertThat(manifest.totalSize()).isEqualTo(rawSize);
    }

    @Test
    void manifestOfAListIsChosenForThePlatform() throws Exception {
        ImageManifest arm64 = client.manifest(reference("base/multi:1"), Platform.linux("arm64"));

        assertThat(arm64.digest()).isEqualTo(entryDigest(JSON.readTree(registry.skopeoInspectRaw("base/multi:1")), "arm64"));
        assertThatThrownBy(() -> client.manifest(reference("base/multi:1")))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reasonCode())
                        .isEqualTo(RegistryException.Reason.NOT_AN_IMAGE_MANIFEST));
    }

    @Test
    void aPinnedReferenceIsFetchedAndVerifiedByDigest() throws RegistryException {
        Manifest byDigest = client.fetch(reference("base/multi@" + listDigest));

        assertThat(byDigest).isInstanceOf(ManifestList.class);
        assertThat(byDigest.digest()).isEqualTo(listDigest);
    }

    @Test
    void aMissingTagOrRepositoryIsImageNotFound() throws RegistryException {
        for (String missing : List.of("base/busybox:no-such-tag", "no/such-repository:1")) {
            assertThatThrownBy(() -> client.resolve(reference(missing), Platform.linux("amd64")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.IMAGE_NOT_FOUND);
                        assertThat(e.getMessage()).startsWith("image " + registry.host() + "/" + missing + " not found in registry "
                                + registry.host() + ": ");
                    });
            assertThat(client.tagExists(reference(missing))).isFalse();
        }
        assertThat(client.tagExists(reference("base/busybox:1"))).isTrue();
    }

    @Test
    void aWrongPasswordIsAuthFailedAndNeverShowsThePassword() throws Exception {
        Path wrong = dir.resolve("wrong-auth.json");
        String wrongPassword = "not-" + registry.password();
        Files.writeString(wrong, "{\"auths\":{\"" + registry.host() + "\":{\"username\":\"" + registry.username()
                + "\",\"password\":\"" + wrongPassword + "\"}}}", StandardCharsets.UTF_8);

        try (RegistryClient wrongClient = new RegistryClient(
                RegistryClientConfig.defaults().withAuthFile(RegistryAuthFile.load(wrong)))) {
            assertThatThrownBy(() -> wrongClient.resolve(reference("base/busybox:1"), Platform.linux("amd64")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_AUTH_FAILED);
                        assertThat(e.getMessage()).isEqualTo("registry " + registry.host() + " refused access to base/busybox:"
                                + " HTTP 401 to GET /v2/base/busybox/manifests/1 even with the credentials from " + wrong);
                        assertThat(e.getMessage() + e.hint()).doesNotContain(wrongPassword).doesNotContain(registry.password());
                        assertThat(e.hint()).contains(wrong.toString());
                    });
        }
    }

    @Test
    void noCredentialsForAnAuthenticatingRegistryIsAuthFailed() {
        try (RegistryClient anonymous = new RegistryClient(RegistryClientConfig.defaults())) {
            assertThatThrownBy(() -> anonymous.manifest(reference("base/busybox:1")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_AUTH_FAILED);
                        assertThat(e.getMessage()).isEqualTo("registry " + registry.host() + " refused access to base/busybox:"
                                + " it requires a user name and password and there are none for " + registry.host());
                    });
        }
    }

    @Test
    void aStoppedRegistryIsUnreachable() throws RegistryException {
        RegistryFixture stopped = RegistryFixture.startWithoutAuth();
        ImageReference image = ImageReference.parse(stopped.reference("app:1"));
        stopped.close();

        assertThatThrownBy(() -> client.resolve(image, Platform.linux("amd64")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_UNREACHABLE);
                    assertThat(e.getMessage()).isEqualTo("cannot reach " + stopped.host() + ": connection refused");
                    assertThat(e.hint()).contains(stopped.host());
                });
    }

    @Test
    void aRestartingRegistryIsWaitedForAndTheRetriesAreReported() throws Exception {
        String digest = buildah.makeBusyboxBaseImage("apps/restarting:1", registry);
        List<String> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RegistryClient patient = new RegistryClient(RegistryClientConfig.defaults()
                .withAuthFile(RegistryAuthFile.load(registry.writeAuthFile(dir.resolve("restart.json"))))
                .withRetry(new RegistryRetry(Duration.ofMinutes(2)), line -> { }))) {
            registry.stop();
            Thread restarter = Thread.ofVirtual().start(() -> {
                // Back once the client has met the outage, as a restarted registry would be.
                while (retries.isEmpty()) {
                    Thread.onSpinWait();
                }
                registry.restart();
            });

            ImageManifest manifest = patient.reportingTo(retries::add).manifest(reference("apps/restarting:1"));
            restarter.join();

            assertThat(manifest.digest()).isEqualTo(digest);
            assertThat(retries).first().asString().startsWith("registry " + registry.host() + ": connection refused while"
                    + " calling GET /v2/apps/restarting/manifests/1; trying again in 1s");
        } finally {
            if (!registry.isRunning()) {
                registry.restart();
            }
        }
    }

    @Test
    void aRegistryThatNeverAnswersIsUnreachableAfterTheRequestTimeout() throws Exception {
        // The kernel completes the TCP handshake from the listen backlog; nothing ever answers.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RegistryClient impatient = new RegistryClient(RegistryClientConfig.defaults()
                     .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)))) {
            String host = "127.0.0.1:" + silent.getLocalPort();

            assertThatThrownBy(() -> impatient.tagExists(ImageReference.parse(host + "/app:1")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_UNREACHABLE);
                        assertThat(e.getMessage()).isEqualTo("cannot reach " + host + ": no answer within 1s");
                    });
        }
    }

    @Test
    void deleteManifestRemovesAPushedImageOnce() throws RegistryException {
        String digest = buildah.makeBusyboxBaseImage("scratch/half-pushed:1", registry);
        ImageReference repository = reference("scratch/half-pushed");

        assertThat(client.deleteManifest(repository, digest)).isTrue();

        assertThat(client.tagExists(reference("scratch/half-pushed:1"))).isFalse();
        assertThat(client.tagExists(repository.pinnedTo(digest))).isFalse();
        assertThat(client.deleteManifest(repository, digest)).isFalse();
    }

    private static ImageReference reference(String repositoryAndTag) throws RegistryException {
        return ImageReference.parse(registry.reference(repositoryAndTag));
    }

    private static String entryDigest(JsonNode list, String architecture) {
        for (JsonNode entry : list.path("manifests")) {
            if (entry.path("platform").path("architecture").asText().equals(architecture)) {
                return entry.path("digest").asText();
            }
        }
        throw new AssertionError("no " + architecture + " entry in " + list);
    }

    @Test
    void credentialsComeFromTheFixturesAuthFile() throws RegistryException {
        RegistryAuthFile auth = RegistryAuthFile.load(registry.writeAuthFile(dir.resolve("again.json")));

        assertThat(auth.credentialsFor(reference("base/busybox"))).map(Credentials::username)
                .isEqualTo(Optional.of(registry.username()));
    }

    // Referrers (OCI artifacts with a subject) against distribution 2.8, which has no referrers API: the
    // referrers tag schema; skopeo reads the tag as an OCI index.
    @Test
    void attachedArtifactsAreListedThroughTheReferrersTagOnceEach() throws Exception {
        String digest = buildah.makeBusyboxBaseImage("app/one:1", registry);
        Referrers referrers = new Referrers(client);
        ImageReference repository = ImageReference.parse(registry.reference("app/one"));
        SubjectManifest subject = referrers.subject(repository.pinnedTo(digest));
        assertThat(subject.digest()).isEqualTo(digest);

        byte[] sbom = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
        Referrers.Document sbomDocument = new Referrers.Document("application/vnd.cyclonedx+json",
                "application/vnd.cyclonedx+json", sbom, Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
        ImageReference image = repository.pinnedTo(digest);
        AttachedArtifact first = referrers.attachAll(image, List.of(sbomDocument)).getFirst();
        AttachedArtifact again = referrers.attachAll(image, List.of(sbomDocument)).getFirst();
        AttachedArtifact second = referrers.attachAll(image, List.of(new Referrers.Document("application/vnd.in-toto+json",
                "application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8), Map.of()))).getFirst();

        assertThat(first.referrersApi()).isFalse();
        assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(referrers.list(repository, digest)).extracting(Referrer::digest, Referrer::artifactType)
                .containsExactly(Tuple.tuple(first.manifestDigest(), "application/vnd.cyclonedx+json"),
                        Tuple.tuple(second.manifestDigest(), "application/vnd.in-toto+json"));
        JsonNode manifest = referrers.artifactManifest(repository, first.manifestDigest());
        assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(digest);
        assertThat(manifest.path("subject").path("size").asLong()).isEqualTo(subject.size());
        assertThat(referrers.blob(repository, manifest.path("layers").path(0).path("digest").asText())).isEqualTo(sbom);

        // Another tool sees the same: the referrers tag is an OCI index naming both artifacts.
        JsonNode index = JSON.readTree(registry.skopeoInspectRaw("app/one:" + Referrers.referrersTag(digest)));
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(2);
    }

    /** Two documents pushed at once (attach_provenance pushes the SBOM with its own): both listed, in order. */
    @Test
    void documentsAttachedTogetherAreAllListedInTheReferrersTag() throws Exception {
        String digest = buildah.makeBusyboxBaseImage("app/three:1", registry);
        Referrers referrers = new Referrers(client);
        ImageReference image = ImageReference.parse(registry.reference("app/three")).pinnedTo(digest);
        byte[] sbom = "{\"bomFormat\":\"CycloneDX\",\"n\":3}".getBytes(StandardCharsets.UTF_8);
        byte[] provenance = "{\"_type\":\"statement\"}".getBytes(StandardCharsets.UTF_8);

        List<AttachedArtifact> attached = referrers.attachAll(image, List.of(
                new Referrers.Document("application/vnd.cyclonedx+json", "application/vnd.cyclonedx+json", sbom, Map.of()),
                new Referrers.Document("application/vnd.in-toto+json", "application/vnd.dsse.envelope.v1+json", provenance,
                        Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"))));

        assertThat(attached).hasSize(2).noneMatch(AttachedArtifact::referrersApi);
        assertThat(referrers.list(image, digest)).extracting(Referrer::digest, Referrer::artifactType)
                .containsExactly(Tuple.tuple(attached.get(0).manifestDigest(), "application/vnd.cyclonedx+json"),
                        Tuple.tuple(attached.get(1).manifestDigest(), "application/vnd.in-toto+json"));
        JsonNode manifest = referrers.artifactManifest(image, attached.get(1).manifestDigest());
        assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(digest);
        assertThat(manifest.path("layers").path(0).path("mediaType").asText()).isEqualTo("application/vnd.dsse.envelope.v1+json");
        assertThat(referrers.blob(image, attached.get(1).blobDigest())).isEqualTo(provenance);
        JsonNode index = JSON.readTree(registry.skopeoInspectRaw("app/three:" + Referrers.referrersTag(digest)));
        assertThat(index.path("manifests")).hasSize(2);
        assertThat(index.path("manifests").get(1).path("annotations").path("org.opencontainers.image.created").asText())
                .isEqualTo("2026-01-01T00:00:00Z");
    }

    /**
     * The push begun before the documents exist (attach_sbom prepares it while it reads the image's
     * layers): the documents go through the uploads opened then, and one opened ahead that is not
     * used (the provenance could not be written) does no harm.
     */
    @Test
    void documentsGoThroughThePushBegunBeforeTheyWereWritten() throws Exception {
        String digest = buildah.makeBusyboxBaseImage("app/four:1", registry);
        Referrers referrers = new Referrers(client);
        ImageReference image = ImageReference.parse(registry.reference("app/four")).pinnedTo(digest);
        PreparedAttach prepared = referrers.prepare(image, 2);
        byte[] sbom = "{\"bomFormat\":\"CycloneDX\",\"n\":4}".getBytes(StandardCharsets.UTF_8);

        List<AttachedArtifact> attached = referrers.attachAll(prepared, List.of(
                new Referrers.Document("application/vnd.cyclonedx+json", "application/vnd.cyclonedx+json", sbom, Map.of())));

        assertThat(referrers.list(image, digest)).extracting(Referrer::digest)
                .containsExactly(attached.getFirst().manifestDigest());
        assertThat(referrers.blob(image, attached.getFirst().blobDigest())).isEqualTo(sbom);
        JsonNode manifest = referrers.artifactManifest(image, attached.getFirst().manifestDigest());
        assertThat(manifest.path("subject").path("size").asLong()).isEqualTo(referrers.subject(image).size());
    }

    /**
     * A build opens its documents' uploads while its image is built, before the image (and so the
     * subject's digest) exists; the documents, written at different moments, are each stored as
     * soon as it is ready, and one referrers-tag update lists both, the first written first.
     */
    @Test
    void uploadsOpenedBeforeTheImageExistedCarryDocumentsStoredAtDifferentMomentsListedInOneUpdate() throws Exception {
        Referrers referrers = new Referrers(client);
        UploadsAhead ahead = referrers.openUploads(ImageReference.parse(registry.reference("app/six")), 2);
        String digest = buildah.makeBusyboxBaseImage("app/six:1", registry);
        ImageReference image = ImageReference.parse(registry.reference("app/six")).pinnedTo(digest);
        PreparedAttach prepared = referrers.prepare(image, ahead);
        byte[] provenance = "{\"_type\":\"statement\",\"n\":6}".getBytes(StandardCharsets.UTF_8);
        byte[] sbom = "{\"bomFormat\":\"CycloneDX\",\"n\":6}".getBytes(StandardCharsets.UTF_8);

        Referrers.StoredArtifact first = referrers.store(prepared, new Referrers.Document("application/vnd.in-toto+json",
                "application/vnd.in-toto+json", provenance, Map.of()));
        assertThat(referrers.list(image, digest)).as("stored, not yet listed").isEmpty();
        Referrers.StoredArtifact second = referrers.store(prepared, new Referrers.Document("application/vnd.cyclonedx+json",
                "application/vnd.cyclonedx+json", sbom, Map.of()));
        List<AttachedArtifact> attached = referrers.listInReferrersTag(prepared, List.of(first, second));

        assertThat(referrers.list(image, digest)).extracting(Referrer::digest, Referrer::artifactType).containsExactly(
                tuple(first.manifestDigest(), "application/vnd.in-toto+json"),
                tuple(second.manifestDigest(), "application/vnd.cyclonedx+json"));
        assertThat(attached).extracting(AttachedArtifact::manifestDigest)
                .containsExactly(first.manifestDigest(), second.manifestDigest());
        assertThat(referrers.blob(image, second.blobDigest())).isEqualTo(sbom);
        assertThat(referrers.artifactManifest(image, first.manifestDigest()).path("subject").path("digest").asText())
                .isEqualTo(digest);
        assertThatThrownBy(() -> referrers.prepare(ImageReference.parse(registry.reference("app/other")).pinnedTo(digest),
                ahead)).as("uploads of another repository").isInstanceOf(IllegalArgumentException.class);
    }

    /** An upload opened ahead that the registry no longer knows (expired) is opened again, not a failed attach. */
    @Test
    void anUploadOpenedAheadThatIsGoneIsOpenedAgain() throws Exception {
        String digest = buildah.makeBusyboxBaseImage("app/five:1", registry);
        Referrers referrers = new Referrers(client);
        ImageReference image = ImageReference.parse(registry.reference("app/five")).pinnedTo(digest);
        String emptyConfig = client.blobs().upload(image, "{}".getBytes(StandardCharsets.UTF_8));
        UploadsAhead expired = new UploadsAhead(image, java.util.concurrent.CompletableFuture.completedFuture(emptyConfig),
                List.of(java.util.concurrent.CompletableFuture.completedFuture(
                        "blobs/uploads/6f1d1c57-0000-4000-8000-000000000000?_state=expired")));
        PreparedAttach gone = new PreparedAttach(expired, digest,
                java.util.concurrent.CompletableFuture.completedFuture(referrers.subject(image)),
                java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()));
        byte[] provenance = "{\"_type\":\"statement\",\"n\":5}".getBytes(StandardCharsets.UTF_8);

        List<AttachedArtifact> attached = referrers.attachAll(gone, List.of(new Referrers.Document(
                "application/vnd.in-toto+json", "application/vnd.in-toto+json", provenance, Map.of())));

        assertThat(referrers.blob(image, attached.getFirst().blobDigest())).isEqualTo(provenance);
        assertThat(referrers.list(image, digest)).extracting(Referrer::digest)
                .containsExactly(attached.getFirst().manifestDigest());
    }

    /**
     * Two pushes of one image at once (eight builds of one commit): one stores a blob again while
     * the other stores a manifest naming it. distribution rewrites the repository's link to the blob
     * in place, and a manifest checked at that instant is refused (DIGEST_INVALID,
     * MANIFEST_BLOB_UNKNOWN, measured here in about one PUT of a hundred); every manifest is stored
     * all the same.
     */
    @Test
    void aManifestIsStoredWhileAnotherPushStoresItsBlobAgain() throws Exception {
        ImageReference repository = reference("race/app");
        byte[] layer = "a layer stored again and again".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        RegistryBlobs blobs = client.blobs();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blobs.upload(repository, config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + blobs.upload(repository, layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RegistryClient other = new RegistryClient(RegistryClientConfig.defaults()
                .withAuthFile(RegistryAuthFile.load(registry.writeAuthFile(dir.resolve("auth.json")))))) {
            java.util.concurrent.atomic.AtomicBoolean pushing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread again = Thread.ofVirtual().start(() -> {
                RegistryBlobs otherBlobs = other.blobs();
                while (pushing.get()) {
                    try {
                        // As a push that asks nothing first (StoredImagePush): the blob is stored again.
                        otherBlobs.finishUpload(repository, otherBlobs.openUpload(repository), layer);
                    } catch (RegistryException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            try {
                for (int i = 0; i < 300; i++) {
                    client.reportingTo(retried::add).blobs().putManifest(repository.withTag("t" + i), "t" + i,
                            MediaTypes.OCI_MANIFEST, manifest);
                }
            } finally {
                pushing.set(false);
                again.join();
            }
        }
        assertThat(registry.skopeoInspect("race/app:t299").path("Digest").asText()).isEqualTo(Digests.sha256(manifest));
        System.out.println("manifest PUTs tried again while the blob was stored again: " + retried.size() + " of 300");
    }

    @Test
    void anImageWithoutArtifactsHasNoReferrers() throws Exception {
        String other = buildah.makeBusyboxBaseImage("app/two:1", registry);
        assertThat(new Referrers(client).list(ImageReference.parse(registry.reference("app/two")), other)).isEmpty();
    }
}
