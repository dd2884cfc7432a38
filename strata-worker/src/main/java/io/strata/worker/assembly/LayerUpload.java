package io.strata.worker.assembly;

import io.strata.registry.Descriptor;
import io.strata.registry.ImageReference;
import io.strata.registry.RegistryException;
import io.strata.registry.RegistryBlobs;
import io.strata.registry.StreamedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * One layer, produced and sent in a single pass: tar entries are written on a thread of their own
 * into the parallel gzip (the uncompressed bytes hashed on the way in for the diff id, the
 * compressed ones on the way out for the blob digest) and from there through a bounded pipe into
 * one streamed upload. Reading files (small ones ahead, on virtual threads: {@link ReadAhead}),
 * compressing on every core and sending overlap; nothing is written to disk. A PATCH that fails is
 * resent from the chunk the upload keeps; if the registry loses the upload session, the layer is
 * written again from its start (it is reproducible: the same entries give the same bytes).
 */
final class LayerUpload {
    static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** rpm keeps its database here (classic) or under /usr/lib/sysimage/rpm (Fedora 36 and later). */
    private static final List<String> RPM_DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");

    private final ExecutorService compressors;
    private final int threads;
    private final int level;
    private final long modifiedSeconds;

    LayerUpload(ExecutorService compressors, int threads, int level, long modifiedSeconds) {
        this.compressors = compressors;
        this.threads = threads;
        this.level = level;
        this.modifiedSeconds = modifiedSeconds;
    }

    record Produced(String diffId, String digest, long compressedBytes, long uncompressedBytes) {}

    /** A layer's uncompressed tar, written whole into the stream given, the same bytes every time. */
    @FunctionalInterface
    interface TarSource {
        void writeTo(OutputStream tar) throws IOException;
    }

    BuiltLayer send(SortedMap<String, LayerEntry> entries, RegistryBlobs blobs, ImageReference repository)
            throws RegistryException, IOException, InterruptedException {
        boolean rpm = entries.keySet().stream().anyMatch(path -> RPM_DATABASES.stream()
                .anyMatch(database -> path.equals(database) || path.startsWith(database + "/")));
        return send(tar -> writeTar(entries, tar), entries.size(), rpm, blobs, repository);
    }

    /**
     * Sends the tar {@code source} writes as one gzipped layer, produced while it is sent;
     * {@code entries} and {@code rpm} are only recorded with it.
     */
    BuiltLayer send(TarSource source, int entries, boolean rpm, RegistryBlobs blobs, ImageReference repository)
            throws RegistryException, IOException, InterruptedException {
        Production production = new Production(source);
        String digest;
        try {
            digest = blobs.upload(repository, production);
        } catch (RegistryException e) {
            throw production.failure().orElseThrow(() -> e);
        } finally {
            production.stop();
        }
        Produced facts = production.facts();
        return new BuiltLayer(new Descriptor(MEDIA_TYPE, digest, facts.compressedBytes()), facts.diffId(), entries,
                facts.uncompressedBytes(), rpm);
    }

    /**
     * The layer as a blob the upload can ask for again: each {@link #open()} starts a writer thread
     * on a fresh pipe (the one before broken and waited for), and the same entries give the same
     * bytes, so a registry that lost the upload session gets the layer again from its start.
     */
    final class Production implements StreamedBlob {
        private final TarSource source;
        private ChunkPipe pipe;
        private Thread producer;
        private CompletableFuture<Produced> produced;

        Production(SortedMap<String, LayerEntry> entries) {
            this(tar -> writeTar(entries, tar));
        }

        Production(TarSource source) {
            this.source = source;
        }

        @Override
        public synchronized InputStream open() throws IOException {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("cancelled while writing a layer");
            }
            ChunkPipe fresh = new ChunkPipe(16);
            CompletableFuture<Produced> result = new CompletableFuture<>();
            pipe = fresh;
            produced = result;
            producer = Thread.ofVirtual().name("strata-layer-writer").start(() -> {
                try (OutputStream sink = fresh.sink()) {
                    result.complete(write(source, sink));
                } catch (Throwable e) {
                    result.completeExceptionally(e); // first: the upload that sees the broken pipe looks here
                    fresh.breakWith(e);
                }
            });
            return fresh.source();
        }

        @Override
        public String digest() throws Exception {
            CompletableFuture<Produced> result;
            synchronized (this) {
                result = produced;
            }
            try {
                return result.get().digest();
            } catch (ExecutionException e) {
                throw asIo(e.getCause());
            }
        }

        /** Ends the writer of the last {@link #open()}, if any: its pipe broken, the thread waited for. */
        synchronized void stop() throws InterruptedException {
            if (pipe != null) {
                pipe.breakWith(new IOException("the upload ended"));
                producer.join();
            }
        }

        /** The writer's own failure, when it failed (then the registry's complaint is only a consequence). */
        synchronized Optional<IOException> failure() {
            return produced == null ? Optional.empty() : producerFailure(produced);
        }

        synchronized Produced facts() throws IOException, InterruptedException {
            try {
                return produced.get();
            } catch (ExecutionException e) {
                throw asIo(e.getCause());
            }
        }
    }

    /** The tar, gzipped, into {@code sink}; returns both digests. */
    Produced write(SortedMap<String, LayerEntry> entries, OutputStream sink) throws IOException {
        return write(tar -> writeTar(entries, tar), sink);
    }

    private Produced write(TarSource source, OutputStream sink) throws IOException {
        MessageDigest compressedHash = sha256();
        MessageDigest tarHash = sha256();
        // Both hashes are taken on the gzip's drainer thread, off the thread that writes the tar.
        ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(new DigestOutputStream(sink, compressedHash),
                compressors, threads, level, ParallelGzipOutputStream.BLOCK_SIZE, tarHash);
        try {
            source.writeTo(gzip);
            gzip.finish();
        } finally {
            gzip.abort();
        }
        return new Produced(digestOf(tarHash), digestOf(compressedHash), gzip.outputBytes(), gzip.inputBytes());
    }

    private void writeTar(SortedMap<String, LayerEntry> entries, OutputStream tar) throws IOException {
        List<LayerEntry.RegularFile> files = entries.values().stream()
                .filter(LayerEntry.RegularFile.class::isInstance).map(LayerEntry.RegularFile.class::cast).toList();
        try (ReadAhead readAhead = new ReadAhead(files); TarWriter writer = new TarWriter(tar, modifiedSeconds)) {
            for (Map.Entry<String, LayerEntry> entry : entries.entrySet()) {
                switch (entry.getValue()) {
                    case LayerEntry.Directory d -> writer.directory(entry.getKey(), d.mode(), d.uid(), d.gid());
                    case LayerEntry.Symlink s -> writer.symlink(entry.getKey(), s.target(), s.uid(), s.gid());
                    case LayerEntry.RegularFile f -> {
                        Optional<byte[]> read = readAhead.next();
                        if (read.isPresent()) {
                            writer.file(entry.getKey(), f.mode(), f.uid(), f.gid(), f.size(), read.get());
                        } else {
                            try (InputStream content = Files.newInputStream(f.source())) {
                                writer.file(entry.getKey(), f.mode(), f.uid(), f.gid(), f.size(), content);
                            }
                        }
                    }
                }
            }
        }
    }

    private static Optional<IOException> producerFailure(CompletableFuture<Produced> produced) {
        if (!produced.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            produced.get();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(asIo(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static IOException asIo(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String digestOf(MessageDigest digest) {
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
