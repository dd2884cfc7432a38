package io.strata.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One streamed blob upload, sent as chunked PATCHes of at most {@code chunkSize} bytes each. A chunk
 * goes out as the producer makes it (the PATCH body is read from the stream as the HTTP client asks),
 * and its bytes are kept until the registry has acknowledged them, so a PATCH that fails in a passing
 * way (connection reset or refused, 5xx, 429) is sent again, within the client's retry time: the
 * registry is first asked how many bytes it holds ({@code GET} on the upload, its {@code Range}) and
 * the chunk is resent from there. When the registry has lost the upload session instead (the
 * distribution registry drops one whose PATCH broke after it stored part of the body, and a
 * restarted registry without a fixed secret no longer knows its URLs), the whole blob is started
 * over in a new session, from {@link StreamedBlob#open()} again, at most {@link #MAX_SESSIONS} times.
 * Memory: one chunk.
 */
final class StreamedUpload {
    static final int DEFAULT_CHUNK_SIZE = 16 << 20;
    static final int MAX_SESSIONS = 3;

    /** Opens an upload session: its start request and the Location the registry gave. */
    @FunctionalInterface
    interface SessionStarter {
        Session start() throws RegistryException;
    }

    record Session(RegistryRequest start, String location) {}

    /** The registry no longer knows the upload: start a new session. */
    private static final class SessionLost extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RegistryException failure;

        SessionLost(RegistryException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private final RegistryTransport transport;
    private final RegistryRetry retry;
    private final Consumer<String> progress;
    private final ImageReference target;
    private final int chunkSize;

    StreamedUpload(RegistryTransport transport, Consumer<String> progress, ImageReference target, int chunkSize) {
        this.transport = transport;
        this.retry = transport.retry();
        this.progress = progress;
        this.target = target;
        this.chunkSize = chunkSize;
    }

    /** Sends {@code blob} and closes the upload with its digest; returns the digest. */
    String send(StreamedBlob blob, SessionStarter starter) throws RegistryException {
        byte[] buffer = new byte[chunkSize];
        for (int session = 1; ; session++) {
            Session started = starter.start();
            InputStream source;
            try {
                source = blob.open();
            } catch (IOException e) {
                throw unproducible(session == 1 ? "" : "the registry lost the upload and ", e);
            }
            try {
                return sendAll(started, source, buffer, blob);
            } catch (SessionLost lost) {
                if (session == MAX_SESSIONS) {
                    throw lost.failure;
                }
                progress.accept("registry " + target.registry() + " lost the upload of a blob to " + target.repository()
                        + " (" + lost.getMessage() + "); sending it again from its start (session " + (session + 1) + ")");
            }
        }
    }

    private String sendAll(Session session, InputStream source, byte[] buffer, StreamedBlob blob)
            throws RegistryException {
        String location = session.location();
        long offset = 0;
        while (true) {
            Chunk chunk = new Chunk(source, buffer);
            try {
                if (!chunk.prime()) {
                    break;
                }
            } catch (IOException e) {
                throw unproducible("", e);
            }
            location = sendChunk(session.start(), location, chunk, offset);
            offset += chunk.length();
            if (chunk.sourceEnded()) {
                break;
            }
        }
        String digest;
        try {
            digest = blob.digest();
        } catch (RegistryException e) {
            throw e;
        } catch (Exception e) {
            throw unproducible("", e);
        }
        complete(session.start(), location, digest);
        return digest;
    }

    /** Sends one chunk, resending it from where the registry stopped after a passing failure; returns the next Location. */
    private String sendChunk(RegistryRequest start, String location, Chunk chunk, long offset) throws RegistryException {
        String[] at = {location};
        boolean[] resend = {false};
        return retrying("sending bytes from " + offset + " of a blob to " + target.repository(), () -> {
            if (resend[0]) {
                at[0] = resumeAt(start, at[0], chunk, offset);
            }
            resend[0] = true;
            RegistryResponse patched;
            try {
                patched = transport.sendToLocation(start, "PATCH", at[0], HttpRequest.BodyPublishers.ofInputStream(chunk::view));
            } catch (RegistryException e) {
                Optional<IOException> producer = chunk.failure();
                if (producer.isPresent()) {
                    throw unproducible("", producer.get());
                }
                throw e;
            }
            if (patched.status() == 202) {
                return patched.header("Location").orElse(at[0]);
            }
            throw answerTo(start, patched);
        });
    }

    /**
     * Asks the registry how far the upload got and rewinds the chunk to there; returns the Location
     * to go on with. The session is lost when the registry does not know it or holds a count of bytes
     * this chunk cannot continue.
     */
    private String resumeAt(RegistryRequest start, String location, Chunk chunk, long offset) throws RegistryException {
        RegistryResponse status = transport.sendToLocation(start, "GET", location, HttpRequest.BodyPublishers.noBody());
        if (status.status() != 204 && status.status() != 200) {
            throw answerTo(start, status);
        }
        long received = received(status.header("Range"), offset);
        if (received < offset || received > offset + chunk.length()) {
            throw new SessionLost(new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "registry "
                    + target.registry() + " holds " + received + " bytes of an upload to " + target.repository()
                    + " where " + offset + " to " + (offset + chunk.length()) + " were expected",
                    "check the registry's logs; build again"));
        }
        chunk.rewind((int) (received - offset));
        return status.header("Location").orElse(location);
    }

    /**
     * Bytes the registry holds, from {@code Range: 0-<last>}. The distribution registry says
     * {@code 0-0} for none as well as for one byte; at the start of a chunk none is meant.
     */
    private static long received(Optional<String> range, long offset) {
        if (range.isEmpty() || !range.get().matches("0-\\d+")) {
            return -1;
        }
        long last = Long.parseLong(range.get().substring(2));
        return last == 0 && offset == 0 ? 0 : last + 1;
    }

    /**
     * The PUT that closes the upload with the digest; a passing failure is tried again. A PUT whose
     * answer was lost may have been carried out: the registry then holds the blob and no longer knows
     * the upload (a second PUT gets 404). So before trying again, and before taking a 404 or 400 for
     * a lost session (which sends the whole blob again), the registry is asked whether it holds the blob.
     */
    private void complete(RegistryRequest start, String location, String digest) throws RegistryException {
        String closing = RegistryBlobs.withDigest(location, digest);
        boolean[] tried = {false};
        retrying("closing the upload of " + digest + " to " + target.repository(), () -> {
            if (tried[0] && holds(digest)) {
                return null;
            }
            tried[0] = true;
            RegistryResponse done = transport.sendToLocation(start, "PUT", closing, HttpRequest.BodyPublishers.noBody());
            if (done.status() == 201) {
                return null;
            }
            if ((done.status() == 404 || done.status() == 400) && holds(digest)) {
                return null;
            }
            throw answerTo(start, done);
        });
    }

    private boolean holds(String digest) throws RegistryException {
        return transport.send(RegistryRequest.blobHead(target, digest), progress).isSuccess();
    }

    /** A passing failure (5xx, 429) to retry, a lost session (404, 400: unknown or invalid upload), or a failure. */
    private RuntimeException answerTo(RegistryRequest start, RegistryResponse response) throws RegistryException {
        if (response.status() >= 500 || response.status() == 429) {
            throw RegistryErrors.fromResponse(start, response);
        }
        RegistryException failure = RegistryBlobs.failed(start, response);
        if (response.status() == 404 || response.status() == 400 || response.status() == 416) {
            return new SessionLost(failure);
        }
        throw failure;
    }

    private <T> T retrying(String action, RegistryRetry.Attempt<T, RegistryException> attempt) throws RegistryException {
        try {
            return retry.call(target.registry(), action, attempt, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.unreachable(target.registry(), "interrupted while sending a blob", e);
        }
    }

    private RegistryException unproducible(String what, Exception cause) {
        return new RegistryException(RegistryException.Reason.REGISTRY_ERROR, what + "the content of a blob for "
                + target.name() + " could not be produced: " + cause.getMessage(), "see the build log above", cause);
    }

    /**
     * The bytes of one PATCH: read from the source as the HTTP client asks for them and kept, so a
     * resend reads them again. Every {@link #view()} starts at the rewind point; a newer view makes
     * the older ones fail, so a read the HTTP client still has under way for a failed request cannot
     * take bytes from the resend.
     */
    static final class Chunk {
        private final InputStream source;
        private final byte[] buffer;
        private int filled;
        private int start;
        private boolean ended;
        private int generation;
        private IOException failure;

        Chunk(InputStream source, byte[] buffer) {
            this.source = source;
            this.buffer = buffer;
        }

        /** Reads the first bytes; false when the source has none left. */
        synchronized boolean prime() throws IOException {
            while (filled == 0 && !ended) {
                fill();
            }
            return filled > 0;
        }

        synchronized int length() {
            return filled;
        }

        synchronized boolean sourceEnded() {
            return ended;
        }

        synchronized Optional<IOException> failure() {
            return Optional.ofNullable(failure);
        }

        synchronized void rewind(int to) {
            start = to;
        }

        synchronized InputStream view() {
            int mine = ++generation;
            int from = start;
            return new InputStream() {
                private int position = from;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
                }

                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    synchronized (Chunk.this) {
                        if (mine != generation) {
                            throw new IOException("this PATCH was given up for a resend");
                        }
                        while (position == filled) {
                            if (ended || filled == buffer.length) {
                                return -1;
                            }
                            fill();
                        }
                        int n = Math.min(length, filled - position);
                        System.arraycopy(buffer, position, into, offset, n);
                        position += n;
                        return n;
                    }
                }

                @Override
                public void close() {
                    // the chunk outlives a request: a resend reads it again
                }
            };
        }

        private void fill() throws IOException {
            int n;
            try {
                n = source.read(buffer, filled, buffer.length - filled);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n < 0) {
                ended = true;
            } else {
                filled += n;
            }
        }
    }
}
