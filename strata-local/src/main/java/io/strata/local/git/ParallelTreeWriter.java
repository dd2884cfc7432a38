package io.strata.local.git;

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
import java.util.List;
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
 * once (directories made in that pass), then worker threads, each with its own object reader,
 * take the next file, inflate its blob from the repository's object database and write it. What
 * lands on disk is the tree's content byte for byte, as git writes it on Linux with no attributes:
 * regular files (0755 when executable), symbolic links, and an empty directory per submodule.
 * No index and no {@code .git} are written.
 *
 * <p>Paths are checked as git checks them ({@code ..}, {@code .git}, empty names are refused), and
 * every file and link is created new, so an entry can never write through a link made by another.
 */
final class ParallelTreeWriter {
    private static final int SMALL_BLOB = 1 << 20;

    private final Repository repository;
    private final int threads;
    private final CheckoutProgress progress;

    ParallelTreeWriter(Repository repository, int threads, CheckoutProgress progress) {
        this.repository = repository;
        this.threads = Math.max(1, threads);
        this.progress = progress;
    }

    /** The number of threads a checkout uses by default: I/O and inflate, so a few more than cores. */
    static int defaultThreads() {
        return Math.min(16, Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    }

    /** Writes {@code tree} into {@code target}, which must exist and be empty. */
    void write(RevTree tree, Path target) throws IOException, InterruptedException {
        List<Entry> files = list(tree, target);
        progress.start(files.size(), files.stream().mapToLong(Entry::size).sum());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, files.size())),
                Thread.ofPlatform().name("strata-checkout-", 0).daemon().factory());
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    try (ObjectReader reader = repository.newObjectReader()) {
                        for (int index = next.getAndIncrement(); index < files.size(); index = next.getAndIncrement()) {
                            if (Thread.currentThread().isInterrupted()) {
                                throw new InterruptedIOException("checkout interrupted");
                            }
                            Entry entry = files.get(index);
                            writeEntry(reader, entry);
                            progress.wrote(entry.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    next.set(files.size());
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("checkout failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            next.set(files.size());
            throw e;
        } finally {
            pool.shutdownNow();
        }
        progress.done();
    }

    /** Lists the tree's files, making its directories on the way (so workers never race on them). */
    private List<Entry> list(RevTree tree, Path target) throws IOException {
        ObjectChecker checker = new ObjectChecker();
        List<Entry> files = new ArrayList<>();
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
                makeDirs(path.getParent(), dirs);
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    makeDirs(path, dirs);
                    continue;
                }
                ObjectId id = walk.getObjectId(0);
                long size = mode == FileMode.SYMLINK ? 0 : reader.getObjectSize(id, Constants.OBJ_BLOB);
                files.add(new Entry(path, id, mode == FileMode.SYMLINK, mode == FileMode.EXECUTABLE_FILE, size));
            }
        }
        return files;
    }

    private static void makeDirs(Path dir, Set<Path> made) throws IOException {
        if (made.contains(dir)) {
            return;
        }
        makeDirs(dir.getParent(), made);
        Files.createDirectory(dir);
        made.add(dir);
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
}
