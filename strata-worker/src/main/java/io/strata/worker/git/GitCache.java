package io.strata.worker.git;

import io.strata.core.io.FileLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * One bare repository per git repository builds come from, under a caches root (the Strata home's
 * {@code cache/git}), so a later build fetches only the objects it does not have yet.
 *
 * <p>The cache is named by the SHA-256 of the repository's URL without credentials, and its
 * configuration holds only that URL (as {@code strata.url}, for people looking at the directory):
 * no remote, no credentials. Checkouts from one cache (fetch, update of its checked-out tree,
 * linking a workspace) are serialised by {@link #lock()}: a lock within this JVM (Java's file
 * locks belong to the whole process) and a file lock against other {@code strata} processes. The
 * cache never runs a gc: objects of earlier commits stay, so a later fetch needs only new ones.
 */
final class GitCache {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path gitDir;
    private final Path lockFile;
    private final String url;

    private GitCache(Path root, String url) {
        String key = key(url);
        this.gitDir = root.resolve(key + ".git").toAbsolutePath().normalize();
        this.lockFile = root.resolve(key + ".lock").toAbsolutePath().normalize();
        this.url = url;
    }

    /** The cache of {@code url} (which must hold no credentials) under {@code root}; nothing is created yet. */
    static GitCache of(Path root, String url) {
        return new GitCache(root, url);
    }

    Path gitDir() {
        return gitDir;
    }

    /** The files of the commit checked out last, which workspaces are hard-linked from. */
    Path treeDir() {
        return gitDir.resolveSibling(gitDir.getFileName().toString().replace(".git", ".tree"));
    }

    /** The commit id {@link #treeDir()} holds; absent while it is being changed. */
    Path treeCommitFile() {
        return gitDir.resolveSibling(gitDir.getFileName().toString().replace(".git", ".tree-commit"));
    }

    /** A hard-linked copy of {@link #treeDir()} that the next checkout takes as its directory ({@link SpareTree}). */
    Path spareDir() {
        return sibling(".spare");
    }

    /** The commit {@link #spareDir()} holds; present only once it is complete. */
    Path spareCommitFile() {
        return sibling(".spare-commit");
    }

    /** Where a spare is made before it is renamed into place. */
    Path spareInProgress() {
        return sibling(".spare-new");
    }

    private Path sibling(String suffix) {
        return gitDir.resolveSibling(gitDir.getFileName().toString().replace(".git", suffix));
    }

    /**
     * Holds the cache for this thread until closed; waits for other threads and processes holding
     * it. Interrupting the waiting thread ends the wait with an exception.
     */
    Lock lock() throws IOException, InterruptedException {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        inProcess.lockInterruptibly();
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                // Tried for, not waited for in the kernel: see FileLocks (a false deadlock with the store's lock).
                return new Lock(inProcess, channel, FileLocks.exclusive(channel));
            } catch (IOException | RuntimeException | InterruptedException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            inProcess.unlock();
            throw e;
        }
    }

    /** Opens the cache, creating it on first use. Call with the lock held. */
    Repository open() throws IOException {
        PackWindows.configure();
        Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
        if (!repository.getObjectDatabase().exists()) {
            repository.create(true);
            var config = repository.getConfig();
            // Never a gc (nor JGit's background one, which raced removals): the cache only grows.
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOPACKLIMIT, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.setString("strata", null, "url", url);
            config.save();
        }
        return repository;
    }

    /** Opens the cache for reading objects; it exists once a checkout has fetched into it. */
    Repository openExisting() throws IOException {
        PackWindows.configure();
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().setMustExist(true).build();
    }

    static String key(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A held cache lock. */
    record Lock(ReentrantLock inProcess, FileChannel channel, FileLock fileLock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                fileLock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    inProcess.unlock();
                }
            }
        }
    }
}
