package io.strata.registry;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The registry calls of attaching documents to a manifest that need none of the documents, begun
 * before the documents are written ({@link Referrers#prepare}): the subject's descriptor and its
 * referrers tag as it is, read once the subject's digest is known, and the {@link UploadsAhead}
 * (uploads opened, empty config stored), which may have been begun earlier still. Whoever writes
 * the documents meanwhile finds these calls done when it stores them ({@link Referrers#store}), so
 * a push then costs one round trip per step it cannot do earlier: the blob's bytes, the artifact
 * manifest, the tag.
 */
public final class PreparedAttach {
    private final UploadsAhead uploads;
    private final String subjectDigest;
    private final Future<SubjectManifest> subject;
    private final Future<Optional<byte[]>> listedBefore;

    PreparedAttach(UploadsAhead uploads, String subjectDigest, Future<SubjectManifest> subject,
            Future<Optional<byte[]>> listedBefore) {
        this.uploads = uploads;
        this.subjectDigest = subjectDigest;
        this.subject = subject;
        this.listedBefore = listedBefore;
    }

    /** The repository the documents go to. */
    ImageReference repository() {
        return uploads.repository();
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
        uploads.emptyConfigStored();
    }

    /** The next upload opened ahead (its path below the repository, once opened); empty when all are taken. */
    Optional<Future<String>> takeUpload() {
        return uploads.takeUpload();
    }
}
