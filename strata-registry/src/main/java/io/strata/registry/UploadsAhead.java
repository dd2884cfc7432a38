package io.strata.registry;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Future;

/**
 * The registry calls of attaching documents that need neither the documents nor the image they
 * are about, begun on virtual threads before either exists ({@link Referrers#openUploads}): one
 * upload opened per document expected, and the empty config every artifact manifest names stored.
 * A build begins them while its image is built, so the push of its documents later has two calls
 * fewer to wait for. Uploads never used expire in the registry by themselves.
 */
public final class UploadsAhead {
    private final ImageReference repository;
    private final Future<String> emptyConfig;
    private final Queue<Future<String>> uploads;

    UploadsAhead(ImageReference repository, Future<String> emptyConfig, List<Future<String>> uploads) {
        this.repository = repository;
        this.emptyConfig = emptyConfig;
        this.uploads = new ArrayDeque<>(uploads);
    }

    /** The repository the uploads are open in. */
    public ImageReference repository() {
        return repository;
    }

    /** Waits for the empty config to be in the repository. */
    void emptyConfigStored() throws RegistryException {
        Parallel.join(emptyConfig);
    }

    /** The next upload opened ahead (its path below the repository, once opened); empty when all are taken. */
    synchronized Optional<Future<String>> takeUpload() {
        return Optional.ofNullable(uploads.poll());
    }
}
