package io.strata.worker.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files of the commit a repository's cache checked out last, kept beside the cache, so a build
 * of a new commit rewrites only the paths that changed and its workspace is made of hard links to
 * them: metadata only, whatever the size of the files. Used with the cache locked.
 *
 * <p>Files here are never changed in place, because workspaces share their inodes: a changed path
 * is removed and written anew. Nothing in a build writes into its source tree (the edited
 * Dockerfile goes beside it, buildah only reads the context). While the tree changes its commit
 * file is absent, so a checkout that died half-way makes the next one write the tree from scratch.
 */
final class CheckedOutTree {
    private final GitCache cache;
    private final Repository repository;
    private final ParallelTreeWriter writer;
    private final java.util.function.Consumer<String> progress;

    CheckedOutTree(GitCache cache, Repository repository, ParallelTreeWriter writer, java.util.function.Consumer<String> progress) {
        this.cache = cache;
        this.repository = repository;
        this.writer = writer;
        this.progress = progress;
    }

    /**
     * Brings the tree to {@code commit} and fills {@code target} (existing, empty) with links to
     * it: the spare copy when there is one (one rename, then the paths its commit differs in),
     * else one link per file. A new spare is then made in the background ({@link SpareTree}).
     */
    void checkOut(RevCommit commit, Path target) throws IOException, InterruptedException {
        Path tree = cache.treeDir();
        Optional<ObjectId> at = commitIn(cache.treeCommitFile());
        if (at.isEmpty() || !Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            Workspace.deleteRecursively(tree);
            Files.createDirectories(tree);
            writer.write(commit.getTree(), tree);
        } else if (!at.get().equals(commit)) {
            Files.delete(cache.treeCommitFile());
            long started = System.nanoTime();
            int changed = applyDiff(at.get(), commit, tree, ParallelTreeWriter::writeBlob);
            progress.accept(String.format(java.util.Locale.ROOT, "Updated the cache's checked-out tree from %s: %d paths changed in %.1f s",
                    at.get().name(), changed, (System.nanoTime() - started) / 1e9));
        }
        Files.writeString(cache.treeCommitFile(), commit.name(), StandardCharsets.US_ASCII);
        SpareTree spare = new SpareTree(cache);
        Optional<ObjectId> spareAt = spare.take(target);
        if (spareAt.isPresent()) {
            long started = System.nanoTime();
            int changed = spareAt.get().equals(commit) ? 0 : applyDiff(spareAt.get(), commit, target, (reader, path, id, mode) -> {
                Path from = tree.resolve(target.relativize(path).toString());
                if (mode == FileMode.GITLINK) {
                    Files.createDirectories(path);
                } else if (mode == FileMode.SYMLINK) {
                    Files.createSymbolicLink(path, Files.readSymbolicLink(from));
                } else {
                    Files.createLink(path, from);
                }
            });
            progress.accept(String.format(java.util.Locale.ROOT,
                    "Took the spare copy of the checked-out tree (at %s) and changed %d paths in %.1f s",
                    spareAt.get().name(), changed, (System.nanoTime() - started) / 1e9));
            spare.refillLater(writer.threads());
            return;
        }
        try {
            writer.link(commit.getTree(), tree, target);
        } catch (java.io.InterruptedIOException cancelled) {
            throw cancelled;
        } catch (IOException linksRefused) {
            if (Thread.currentThread().isInterrupted()) {
                throw linksRefused;
            }
            // Another file system than the cache's, or one without hard links: write the bytes.
            progress.accept("cannot link files from the cache (" + linksRefused.getMessage() + "); writing them");
            Workspace.deleteRecursively(target);
            Files.createDirectories(target);
            writer.write(commit.getTree(), target);
            return;
        }
        spare.refillLater(writer.threads());
    }

    /** The commit id a commit file of the cache holds; empty when it is absent or not an id. */
    static Optional<ObjectId> commitIn(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
        return ObjectId.isId(id) ? Optional.of(ObjectId.fromString(id)) : Optional.empty();
    }

    /** Makes one path of the new commit in a directory whose old path was removed. */
    private interface PathWriter {
        void write(ObjectReader reader, Path path, ObjectId id, FileMode mode) throws IOException;
    }

    /**
     * Replaces, in {@code dir} (which holds commit {@code from}), the paths that differ between
     * the two commits' trees; returns how many.
     */
    private int applyDiff(ObjectId from, RevCommit to, Path dir, PathWriter writePath) throws IOException {
        int changed = 0;
        try (ObjectReader reader = repository.newObjectReader(); RevWalk walk = new RevWalk(reader);
                TreeWalk diff = new TreeWalk(repository, reader)) {
            diff.addTree(walk.parseCommit(from).getTree());
            diff.addTree(to.getTree());
            diff.setRecursive(true);
            diff.setFilter(TreeFilter.ANY_DIFF);
            while (diff.next()) {
                changed++;
                Path path = dir.resolve(diff.getPathString());
                FileMode newMode = diff.getFileMode(1);
                removePath(path, dir);
                if (newMode != FileMode.MISSING) {
                    new org.eclipse.jgit.lib.ObjectChecker().checkPath(diff.getRawPath(), 0, diff.getRawPath().length);
                    makeParents(path.getParent(), dir);
                    writePath.write(reader, path, diff.getObjectId(1), newMode);
                }
            }
        }
        return changed;
    }

    /** Removes a file, link or (a path that was a directory and is now a file) a whole directory, then empty parents. */
    private static void removePath(Path path, Path root) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Workspace.deleteRecursively(path);
        } else {
            Files.delete(path);
        }
        for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException stop) {
                break;
            }
        }
    }

    /** Makes the missing directories of {@code dir}; a file in the way (a path that was a file) is removed. */
    private static void makeParents(Path dir, Path root) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        makeParents(dir.getParent(), root);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(dir);
        }
        Files.createDirectory(dir);
    }
}
