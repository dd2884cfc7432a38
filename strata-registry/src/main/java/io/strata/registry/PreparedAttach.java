package io.strata.registry;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Future;

/**
 * The registry calls of attaching documents to a manifest that need none of the documents, begun
 * before the documents are written ({@link Referrers#prepare}): the subject's descriptor, its
 * referrers tag as it is, the shared empty config blob, and one upload opened per document
 * expected. Whoever writes the documents meanwhile (attach_sbom reads the image's layers) finds
 * these calls done when it pushes them ({@link Referrers#attachAll(PreparedAttach, List)}), so a
 * push then costs one round trip per step it cannot do earlier: the blobs' bytes, the artifact
 * manifests, the tag. A preparation never used leaves open uploads, which the registry expires by itself.
 */
public final class PreparedAttach {
    private final ImageReference repository;
    private final String subjectDigest;
    private final Future<SubjectManifest> subject;
    private final Future<Optional<byte[]>> listedBefore;
    private final Future<String> emptyConfig;
    private final Queue<Future<String>> uploads;

    PreparedAttach(ImageReference repository, String subjectDigest, Future<SubjectManifest> subject,
            Future<Optional<byte[]>> listedBefore, Future<String> emptyConfig, List<Future<String>> uploads) {
        this.repository = repository;
        this.subjectDigest = subjectDigest;
        this.subject = subject;
        this.listedBefore = listedBefore;
        this.emptyConfig = emptyConfig;
        this.uploads = new ArrayDeque<>(uploads);
    }

    /** The repository the documents go to. */
    ImageReference repository() {
        return repository;
    }

    /** The digest of the manifest they are about. */
    public String subjectDigest() {
        return subjectDigest;
    }

    SubjectManifest subject() throws RegistryException {
        return Parallel.join(subject);
    }

    /** The subject's referrers tag as it was (empty when there was none). */
    Optional<byte[]> listedBefore() throws RegistryException {
        return Parallel.join(listedBefore);
    }

    /** Waits for the empty config to be in the repository (every artifact manifest names it). */
    void emptyConfigStored() throws RegistryException {
        Parallel.join(emptyConfig);
    }

    /** The next upload opened ahead (its path below the repository, once opened); empty when all are taken. */
    synchronized Optional<Future<String>> takeUpload() {
        return Optional.ofNullable(uploads.poll());
    }
}
