package io.strata.worker.git;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the files of one tree into an empty directory, several at a time: the tree is listed
 * once, its directories are made level by level, then worker threads, each with its own object
 * reader, take the next file, inflate its blob from the repository's object database and write it. What
 * lands on disk is the tree's content byte for byte, as git writes it on Linux with no attributes:
 * regular files (0755 when executable), symbolic links, and an empty directory per submodule.
 * No index and no {@code .git} are written.
 *
 * <p>Paths are checked as git checks them ({@code ..}, {@code .git}, empty names are refused), and
 * every file and link is created new, so an entry can never write through a link made by another.
 */
final class ParallelTreeWriter {
    private static final int SMALL_BLOB = 1 << 20;
    /** Files of one directory a thread takes at once. */
    private static final int BATCH = 64;

    private final Repository repository;
    private final int threads;
    private final CheckoutProgress progress;

    ParallelTreeWriter(Repository repository, int threads, CheckoutProgress progress) {
        this.repository = repository;
        this.threads = Math.max(1, threads);
        this.progress = progress;
    }

    int threads() {
        return threads;
    }

    /** Threads a checkout uses by default: writing files waits on the disk far more than on the CPU. */
    static int defaultThreads() {
        return Math.min(16, Math.max(4, Runtime.getRuntime().availableProcessors() * 4));
    }

    /** Writes {@code tree} into {@code target}, which must exist and be empty. */
    void write(RevTree tree, Path target) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Listing listing = list(tree, target, true);
        List<Entry> files = listing.files();
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("strata-checkout-", 0).daemon().factory());
        try {
            makeDirs(pool, listing);
            progress.listed(files.size(), files.stream().mapToLong(Entry::size).sum(), System.nanoTime() - started);
            inParallel(pool, byDirectory(files), (reader, batch) -> {
                for (Entry entry : batch) {
                    writeEntry(reader, entry);
                    progress.wrote(entry.size());
                }
            });
        } finally {
            stop(pool);
        }
        progress.done();
    }

    /**
     * Directories level by level (parents first), each level in parallel: on a busy disk a
     * directory costs as much as a small file.
     */
    private void makeDirs(ExecutorService pool, Listing listing) throws IOException, InterruptedException {
        for (List<Path> level : listing.dirsByDepth()) {
            inParallel(pool, level, (reader, dir) -> Files.createDirectory(dir));
        }
    }

    /**
     * The files in batches of one directory each (at most {@link #BATCH} files), so each thread
     * mostly creates entries in a directory no other thread is creating in: a file's creation
     * holds its directory's lock, and threads taking consecutive files of one directory queued on
     * it. A large directory is still shared out in several batches.
     */
    private static List<List<Entry>> byDirectory(List<Entry> files) {
        Map<Path, List<Entry>> byParent = new LinkedHashMap<>();
        for (Entry entry : files) {
            byParent.computeIfAbsent(entry.path().getParent(), dir -> new ArrayList<>()).add(entry);
        }
        List<List<Entry>> batches = new ArrayList<>();
        for (List<Entry> dir : byParent.values()) {
            for (int from = 0; from < dir.size(); from += BATCH) {
                batches.add(dir.subList(from, Math.min(dir.size(), from + BATCH)));
            }
        }
        return batches;
    }

    /**
     * Stops the workers and waits for them, even when interrupted (the interrupt is kept): a
     * cancelled checkout removes its directory next, which must not race a worker still writing.
     */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        pool.close(); // waits for the workers; an interrupt while waiting is kept for the caller
    }

    private interface Action<T> {
        void run(ObjectReader reader, T item) throws IOException;
    }

    /** Runs {@code action} over {@code items} on every thread of {@code pool}, each taking the next item. */
    private <T> void inParallel(ExecutorService pool, List<T> items, Action<T> action) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, items.size()); i++) {
            workers.add(pool.submit(() -> {
                try (ObjectReader reader = repository.newObjectReader()) {
                    for (int index = next.getAndIncrement(); index < items.size(); index = next.getAndIncrement()) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new InterruptedIOException("checkout interrupted");
                        }
                        action.run(reader, items.get(index));
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<Void> worker : workers) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    next.set(items.size());
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("checkout failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            next.set(items.size());
            throw e;
        }
    }

    /**
     * Lists the tree's files and directories under {@code target} (checking every path as git
     * does); writes nothing. Blob sizes cost a read of each object's header in the pack, so only
     * when {@code sizes} asks for them (progress of writing).
     */
    private Listing list(RevTree tree, Path target, boolean sizes) throws IOException {
        ObjectChecker checker = new ObjectChecker();
        List<Entry> files = new ArrayList<>();
        List<List<Path>> dirsByDepth = new ArrayList<>();
        Set<Path> dirs = new HashSet<>();
        dirs.add(target);
        try (ObjectReader reader = repository.newObjectReader(); TreeWalk walk = new TreeWalk(repository, reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                byte[] raw = walk.getRawPath();
                try {
                    checker.checkPath(raw, 0, raw.length);
                } catch (CorruptObjectException e) {
                    throw new IOException("the commit holds a path git refuses to check out: "
                            + walk.getPathString() + " (" + e.getMessage() + ")", e);
                }
                Path path = target.resolve(walk.getPathString());
                addDirs(target, path.getParent(), dirs, dirsByDepth);
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    addDirs(target, path, dirs, dirsByDepth);
                    continue;
                }
                ObjectId id = walk.getObjectId(0);
                long size = mode == FileMode.SYMLINK || !sizes ? 0 : reader.getObjectSize(id, Constants.OBJ_BLOB);
                files.add(new Entry(path, id, mode == FileMode.SYMLINK, mode == FileMode.EXECUTABLE_FILE, size));
            }
        }
        return new Listing(files, dirsByDepth);
    }

    private static void addDirs(Path target, Path dir, Set<Path> known, List<List<Path>> byDepth) {
        if (known.contains(dir)) {
            return;
        }
        addDirs(target, dir.getParent(), known, byDepth);
        known.add(dir);
        int depth = target.relativize(dir).getNameCount() - 1;
        while (byDepth.size() <= depth) {
            byDepth.add(new ArrayList<>());
        }
        byDepth.get(depth).add(dir);
    }

    /**
     * Makes {@code target} (existing, empty) a copy of {@code source}, which holds {@code tree} as
     * {@link #write} wrote it, made of hard links: directories are made, files linked, symbolic
     * links copied. Metadata only, so it costs a fraction of writing the bytes again. The entries
     * come from the tree's objects, not from reading {@code source}'s directories: one system call
     * per entry instead of three.
     */
    void link(RevTree tree, Path source, Path target) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Listing listing = list(tree, target, false);
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("strata-link-", 0).daemon().factory());
        try {
            makeDirs(pool, listing);
            inParallel(pool, byDirectory(listing.files()), (reader, batch) -> {
                for (Entry entry : batch) {
                    Path from = source.resolve(target.relativize(entry.path()).toString());
                    if (entry.symlink()) {
                        Files.createSymbolicLink(entry.path(), Files.readSymbolicLink(from));
                    } else {
                        Files.createLink(entry.path(), from);
                    }
                }
            });
        } finally {
            stop(pool);
        }
        progress.linked(listing.files().size(), System.nanoTime() - started);
    }

    /** Writes one blob of {@code tree} at {@code path} (a new file, never over an existing one). */
    static void writeBlob(ObjectReader reader, Path path, ObjectId id, FileMode mode) throws IOException {
        if (mode == FileMode.GITLINK) {
            Files.createDirectories(path);
            return;
        }
        writeEntry(reader, new Entry(path, id, mode == FileMode.SYMLINK, mode == FileMode.EXECUTABLE_FILE, 0));
    }

    private static void writeEntry(ObjectReader reader, Entry entry) throws IOException {
        ObjectLoader blob = reader.open(entry.id(), Constants.OBJ_BLOB);
        if (entry.symlink()) {
            Files.createSymbolicLink(entry.path(), Path.of(new String(blob.getCachedBytes(), StandardCharsets.UTF_8)));
            return;
        }
        if (!blob.isLarge() && blob.getSize() <= SMALL_BLOB) {
            Files.write(entry.path(), blob.getCachedBytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } else {
            try (OutputStream out = Files.newOutputStream(entry.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                blob.copyTo(out);
            }
        }
        if (entry.executable()) {
            Files.setPosixFilePermissions(entry.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private record Entry(Path path, ObjectId id, boolean symlink, boolean executable, long size) {}

    private record Listing(List<Entry> files, List<List<Path>> dirsByDepth) {}
}
