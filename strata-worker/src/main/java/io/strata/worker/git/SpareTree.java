package io.strata.worker.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A copy of a cache's checked-out tree made of hard links, prepared in the background after each
 * checkout, so that the next build of the repository gets its directory with one rename instead
 * of one link per file, and then changes only the paths its commit changed.
 *
 * <p>Why: linking a fresh directory costs one metadata write per file (1.4 to 1.8 s for 20,000
 * files on the loaded development VM, docs/benchmarks.md "Checkout"); that is the whole of a
 * repeat build's checkout once the fetch brings only what is new. The same work is still done,
 * but while the build runs (buildah waits on its own processes), not before it can start.
 *
 * <p>Safety: the spare is made and taken with the cache locked; its commit file is written last
 * and removed first, so a spare that is half made (the process died) or half taken is never used,
 * only removed. Its files are links to the tree's, which are never changed in place, so a spare
 * made at an older commit still holds that commit's content, and taking it applies the
 * difference. Refills run on virtual threads of this process that {@link #awaitRefills()} waits
 * for: {@link Workspace#close()} does, so nothing of a build writes under the Strata home once
 * its workspace is gone (and a test's temporary directory can be removed).
 */
final class SpareTree {
    private static final Set<Thread> REFILLS = ConcurrentHashMap.newKeySet();

    private final GitCache cache;

    SpareTree(GitCache cache) {
        this.cache = cache;
    }

    /**
     * Moves the spare into {@code target} (an existing, empty directory on the cache's file
     * system) and returns the commit it holds; empty when there is no complete spare or it cannot
     * be moved there, and then {@code target} is still an empty directory. Call with the cache locked.
     */
    Optional<ObjectId> take(Path target) throws IOException {
        Path commitFile = cache.spareCommitFile();
        Path spare = cache.spareDir();
        if (!Files.isRegularFile(commitFile) || !Files.isDirectory(spare, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String id = Files.readString(commitFile, StandardCharsets.US_ASCII).trim();
        Files.delete(commitFile);
        if (!ObjectId.isId(id)) {
            return Optional.empty();
        }
        try (var entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                return Optional.empty();
            }
        }
        Files.delete(target);
        try {
            Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException otherFileSystem) {
            Files.createDirectory(target);
            return Optional.empty();
        }
        return Optional.of(ObjectId.fromString(id));
    }

    /**
     * Starts making a new spare of the tree's commit on a virtual thread of its own, which takes
     * the cache's lock (so it waits for a checkout in progress, and the next checkout waits for
     * it). Failures only mean there is no spare: the next checkout links its directory itself.
     */
    void refillLater(int threads) {
        Thread refill = Thread.ofVirtual().name("strata-spare-tree").unstarted(() -> {
            try {
                refill(threads);
            } catch (IOException | RuntimeException e) {
                removeQuietly(cache.spareInProgress());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                REFILLS.remove(Thread.currentThread());
            }
        });
        REFILLS.add(refill);
        refill.start();
    }

    private void refill(int threads) throws IOException, InterruptedException {
        try (GitCache.Lock lock = cache.lock()) {
            Optional<ObjectId> treeCommit = CheckedOutTree.commitIn(cache.treeCommitFile());
            if (treeCommit.isEmpty() || Files.isRegularFile(cache.spareCommitFile())) {
                return; // no tree to copy, or a spare is there already (a checkout that took none)
            }
            Path next = cache.spareInProgress();
            Workspace.deleteRecursively(next);
            Workspace.deleteRecursively(cache.spareDir());
            Files.createDirectory(next);
            try (Repository repository = cache.openExisting(); RevWalk walk = new RevWalk(repository)) {
                var quiet = new CheckoutProgress(line -> { }, System::nanoTime, java.time.Duration.ofDays(1));
                new ParallelTreeWriter(repository, threads, quiet).link(walk.parseCommit(treeCommit.get()).getTree(), cache.treeDir(), next);
            }
            Files.move(next, cache.spareDir(), StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(cache.spareCommitFile(), treeCommit.get().name(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * Waits until no refill of this process is running (new ones may start after). The wait
     * ignores interrupts (it is short, and a cancelled build's clean-up must not race a refill);
     * the interrupt is kept for the caller.
     */
    static void awaitRefills() {
        boolean interrupted = false;
        for (Thread refill : Set.copyOf(REFILLS)) {
            while (refill.isAlive()) {
                try {
                    refill.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            Workspace.deleteRecursively(dir);
        } catch (IOException ignored) {
            // the next refill removes it
        }
    }
}
