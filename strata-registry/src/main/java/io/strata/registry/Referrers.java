package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * OCI artifacts attached to an image manifest (OCI distribution spec 1.1): pushes a document as an
 * artifact whose {@code subject} is the image, and finds an image's artifacts again. A registry
 * with the referrers API ({@code GET /v2/NAME/referrers/DIGEST}) indexes them itself and says so
 * with an {@code OCI-Subject} header; for one without (distribution 2.8), the spec's referrers tag
 * schema is kept: the tag {@code sha256-<hex>} of the subject holds an OCI index of its referrers,
 * updated on each push. Shares the connections, credentials and retries of the
 * {@link RegistryClient} it comes from.
 */
public final class Referrers {
    public static final String EMPTY_CONFIG_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryTransport transport;
    private final java.util.function.Consumer<String> progress;
    /** Blob reads and uploads and manifest writes: the same calls every other writer of images makes. */
    private final RegistryBlobs blobs;

    public Referrers(RegistryClient client) {
        this.transport = client.transport();
        this.progress = client.progress();
        this.blobs = client.blobs();
    }

    /** The manifest {@code image} (pinned to a digest) names, as a subject descriptor: its media type, digest, size. */
    public SubjectManifest subject(ImageReference image) throws RegistryException {
        RegistryRequest get = RegistryRequest.manifest("GET", image, image.manifestReference());
        RegistryResponse response = send(get);
        String digest = ManifestVerifier.verifiedDigest(image, response);
        String mediaType = response.header("Content-Type").map(type -> type.split(";", 2)[0].strip())
                .orElse(MediaTypes.OCI_MANIFEST);
        return new SubjectManifest(mediaType, digest, response.body().length);
    }

    /** One document to attach: what it is, its layer's media type, its bytes, its manifest's annotations. */
    public record Document(String artifactType, String layerMediaType, byte[] content, Map<String, String> annotations) {
        public Document {
            annotations = Map.copyOf(annotations);
        }
    }

    /**
     * Pushes several documents as artifacts of the image manifest {@code image} (pinned to its
     * digest) at once: every blob uploaded and the image's descriptor read in parallel, then every
     * artifact manifest stored in parallel, then, for a registry without the referrers API, ONE
     * update of the subject's referrers tag listing them all (a GET and a PUT, not one pair per
     * document). The results are in the order of {@code documents}.
     */
    public List<AttachedArtifact> attachAll(ImageReference image, List<Document> documents) throws RegistryException {
        return attachAll(prepare(image, documents.size()), documents);
    }

    /**
     * Begins, on virtual threads, the calls of attaching {@code documents} documents to the image
     * manifest {@code image} (pinned to its digest) that need none of them, and returns at once:
     * the image's descriptor, its referrers tag as it is (read whether or not it will be needed:
     * only the manifests' answers tell), the empty config, and an upload opened per document.
     */
    public PreparedAttach prepare(ImageReference image, int documents) {
        return prepare(image, openUploads(image, documents));
    }

    /**
     * {@link #prepare(ImageReference, int)} with uploads opened earlier, in the same repository as
     * {@code image}, before its digest was known.
     */
    public PreparedAttach prepare(ImageReference image, UploadsAhead uploads) {
        return prepare(image, uploads, Parallel.start(() -> subject(image)));
    }

    /**
     * {@link #prepare(ImageReference, UploadsAhead)} with the subject's descriptor from a read of its
     * manifest begun elsewhere (a push reads its manifest back anyway): one request less.
     */
    public PreparedAttach prepare(ImageReference image, UploadsAhead uploads, Future<SubjectManifest> subject) {
        String digest = image.digest().orElseThrow(() -> new IllegalArgumentException("attach to an image by its digest"));
        if (!uploads.repository().name().equals(image.name())) {
            throw new IllegalArgumentException("uploads opened in " + uploads.repository().name() + ", not in " + image.name());
        }
        return new PreparedAttach(uploads, digest, subject, Parallel.start(() -> referrersTag(uploads.repository(), digest)));
    }

    /**
     * Begins, on virtual threads, opening {@code documents} uploads in {@code repository} and storing
     * the empty config there: what attaching documents needs before any document or the image
     * they are about exists. Returns at once.
     */
    public UploadsAhead openUploads(ImageReference repository, int documents) {
        List<java.util.concurrent.Future<String>> uploads = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            uploads.add(Parallel.start(() -> blobs.openUpload(repository)));
        }
        return new UploadsAhead(repository, Parallel.start(() -> blobs.upload(repository, EMPTY_CONFIG)), uploads);
    }

    /**
     * Pushes {@code documents} as {@link #attachAll(ImageReference, List)} does, with the calls
     * {@code prepared} began: each document {@link #store stored} (in parallel), then listed in the
     * referrers tag at once.
     */
    public List<AttachedArtifact> attachAll(PreparedAttach prepared, List<Document> documents) throws RegistryException {
        List<java.util.concurrent.Callable<StoredArtifact>> stores = new ArrayList<>();
        for (Document document : documents) {
            stores.add(() -> store(prepared, document));
        }
        return listInReferrersTag(prepared, Parallel.all(stores));
    }

    /**
     * A document stored as an artifact of the subject (its blob, then its manifest), not yet listed
     * in the referrers tag.
     *
     * @param referrersApi whether the registry indexed it itself ({@code OCI-Subject}): then no tag lists it
     */
    public record StoredArtifact(Document document, String manifestDigest, long manifestSize, String blobDigest,
            boolean referrersApi) {}

    /**
     * Stores {@code document} as an artifact of the subject {@code prepared} is about, with the calls
     * it began: two round trips, the blob's bytes (into an upload opened ahead, no HEAD first: a
     * document just written is new, and one that is not, an SBOM of a reproduced image, is only
     * stored again), then the artifact manifest. Documents written at different moments are stored as
     * each is ready; {@link #listInReferrersTag} then lists them all with one tag update. Safe to call
     * from several threads for one preparation.
     */
    public StoredArtifact store(PreparedAttach prepared, Document document) throws RegistryException {
        ImageReference repository = prepared.repository();
        String blobDigest = uploadNew(repository, prepared.takeUpload(), document.content());
        SubjectManifest subject = prepared.subject();
        prepared.emptyConfigStored();
        byte[] manifest = artifactManifest(subject, document, blobDigest);
        boolean indexed = blobs.putSubjectIndexed(repository, MediaTypes.OCI_MANIFEST, manifest, subject.digest());
        return new StoredArtifact(document, Digests.sha256(manifest), manifest.length, blobDigest, indexed);
    }

    /**
     * Lists {@code stored} artifacts of the subject {@code prepared} is about in its referrers tag
     * (one GET, begun by the preparation, and at most one PUT), unless the registry indexed them
     * itself; what to record of each, in their order.
     */
    public List<AttachedArtifact> listInReferrersTag(PreparedAttach prepared, List<StoredArtifact> stored)
            throws RegistryException {
        List<AttachedArtifact> attached = new ArrayList<>();
        List<Referrer> unlisted = new ArrayList<>();
        for (StoredArtifact artifact : stored) {
            attached.add(new AttachedArtifact(artifact.manifestDigest(), artifact.blobDigest(), artifact.referrersApi()));
            if (!artifact.referrersApi()) {
                unlisted.add(new Referrer(artifact.manifestDigest(), MediaTypes.OCI_MANIFEST, artifact.manifestSize(),
                        artifact.document().artifactType(), artifact.document().annotations()));
            }
        }
        if (!unlisted.isEmpty()) {
            addToReferrersTag(prepared.repository(), prepared.subject(), prepared.listedBefore(), unlisted);
        }
        return List.copyOf(attached);
    }

    /**
     * Stores {@code content} through the upload opened ahead; when that upload could not be opened
     * or is gone (the registry expired it), through one opened now.
     */
    private String uploadNew(ImageReference repository, Optional<java.util.concurrent.Future<String>> opened,
            byte[] content) throws RegistryException {
        if (opened.isPresent()) {
            try {
                return blobs.finishUpload(repository, Parallel.join(opened.get()), content);
            } catch (RegistryException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                progress.accept("the upload opened ahead in " + repository.name() + " failed (" + e.getMessage()
                        + "); opening another");
            }
        }
        return blobs.finishUpload(repository, blobs.openUpload(repository), content);
    }

    private static byte[] artifactManifest(SubjectManifest subject, Document document, String blobDigest) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", document.artifactType());
        manifest.set("config", descriptor(EMPTY_CONFIG_MEDIA_TYPE, Digests.sha256(EMPTY_CONFIG), EMPTY_CONFIG.length)
                .put("data", java.util.Base64.getEncoder().encodeToString(EMPTY_CONFIG)));
        manifest.set("layers", JSON.createArrayNode().add(descriptor(document.layerMediaType(), blobDigest,
                document.content().length)));
        manifest.set("subject", descriptor(subject.mediaType(), subject.digest(), subject.size()));
        ObjectNode sorted = manifest.putObject("annotations");
        new TreeMap<>(document.annotations()).forEach(sorted::put);
        return bytes(manifest);
    }

    /**
     * The artifacts whose subject is {@code subjectDigest} in {@code repository}: from the referrers
     * API when the registry has one, else from the referrers tag; empty when there are none.
     */
    public List<Referrer> list(ImageReference repository, String subjectDigest) throws RegistryException {
        RegistryRequest api = new RegistryRequest("GET", repository, "referrers/" + subjectDigest,
                List.of(MediaTypes.OCI_INDEX), "pull", Optional.empty());
        RegistryResponse answer = transport.send(api, progress);
        if (answer.isSuccess() && answer.header("Content-Type").filter(type -> type.startsWith(MediaTypes.OCI_INDEX)).isPresent()) {
            return referrersIn(repository, answer.body());
        }
        return referrersTag(repository, subjectDigest).map(index -> referrersIn(repository, index)).orElse(List.of());
    }

    /** The artifact manifest {@code digest} of {@code repository}, checked against its digest. */
    public JsonNode artifactManifest(ImageReference repository, String digest) throws RegistryException {
        ImageReference pinned = repository.pinnedTo(digest);
        RegistryResponse response = send(RegistryRequest.manifest("GET", pinned, digest));
        ManifestVerifier.verifiedDigest(pinned, response);
        return parse(repository, response.body(), "artifact manifest " + digest);
    }

    /** A blob's bytes (an artifact's document), checked against its digest. */
    public byte[] blob(ImageReference repository, String digest) throws RegistryException {
        return blobs.blob(repository, digest);
    }

    /** The referrers tag of a subject: {@code sha256-<hex>}, as the distribution spec names it. */
    public static String referrersTag(String subjectDigest) {
        return subjectDigest.replace(':', '-');
    }

    private Optional<byte[]> referrersTag(ImageReference repository, String subjectDigest) throws RegistryException {
        String tag = referrersTag(subjectDigest);
        RegistryRequest get = RegistryRequest.manifest("GET", repository.withTag(tag), tag);
        RegistryResponse response = transport.send(get, progress);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(get, response);
        }
        return Optional.of(response.body());
    }

    /**
     * Adds referrers to the subject's tag index (made when there is none yet), keeping the ones
     * there ({@code existingIndex}, read by the caller); an artifact pushed again is not listed twice. At most one PUT.
     */
    private void addToReferrersTag(ImageReference repository, SubjectManifest subject, Optional<byte[]> existingIndex,
            List<Referrer> referrers) throws RegistryException {
        ObjectNode index;
        if (existingIndex.isPresent()) {
            index = (ObjectNode) parse(repository, existingIndex.get(), "referrers tag of " + subject.digest());
        } else {
            index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            index.putArray("manifests");
        }
        ArrayNode manifests = index.withArray("manifests");
        java.util.Set<String> listed = new java.util.HashSet<>();
        manifests.forEach(existing -> listed.add(existing.path("digest").asText()));
        boolean changed = false;
        for (Referrer referrer : referrers) {
            if (!listed.add(referrer.digest())) {
                continue;
            }
            ObjectNode entry = descriptor(referrer.mediaType(), referrer.digest(), referrer.size());
            entry.put("artifactType", referrer.artifactType());
            ObjectNode annotations = entry.putObject("annotations");
            new TreeMap<>(referrer.annotations()).forEach(annotations::put);
            manifests.add(entry);
            changed = true;
        }
        if (changed) {
            String tag = referrersTag(subject.digest());
            blobs.putManifest(repository.withTag(tag), tag, MediaTypes.OCI_INDEX, bytes(index));
        }
    }

    private static List<Referrer> referrersIn(ImageReference repository, byte[] index) {
        List<Referrer> referrers = new ArrayList<>();
        JsonNode json;
        try {
            json = JSON.readTree(index);
        } catch (IOException e) {
            return List.of();
        }
        for (JsonNode entry : json.path("manifests")) {
            Map<String, String> annotations = new LinkedHashMap<>();
            entry.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
            referrers.add(new Referrer(entry.path("digest").asText(), entry.path("mediaType").asText(),
                    entry.path("size").asLong(), entry.path("artifactType").asText(), annotations));
        }
        return List.copyOf(referrers);
    }

    private RegistryResponse send(RegistryRequest request) throws RegistryException {
        RegistryResponse response = transport.send(request, progress);
        if (!response.isSuccess()) {
            throw RegistryErrors.fromResponse(request, response);
        }
        return response;
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        return node;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private static JsonNode parse(ImageReference repository, byte[] body, String what) throws RegistryException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below, as for JSON that is not an object
        }
        throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "registry " + repository.registry()
                + " sent a malformed " + what + " in " + repository.name() + " (not a JSON object)",
                "remove the damaged manifest from the registry and push again");
    }
}
