package io.strata.local.store;

import io.strata.core.store.StoreException;
import io.strata.core.io.FileLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The files of an embedded (SQLite) store: the database file named by the URL, the directory it
 * lives in, and a lock file beside it that serialises schema migrations between processes.
 */
final class EmbeddedFiles {
    private EmbeddedFiles() {}

    /** Work run while this process alone may migrate the store. */
    @FunctionalInterface
    interface Exclusive {
        void run() throws StoreException;
    }

    /** The database file of a {@code jdbc:sqlite:PATH[?params]} URL; empty for an in-memory database. */
    static Optional<Path> databaseFile(StoreLocation location) {
        String rest = location.url().substring(Database.SQLITE.urlPrefix().length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.startsWith(":memory:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path).toAbsolutePath());
    }

    /**
     * Creates the directory the database file goes into. SQLite would not, and its own error
     * ("out of memory" for a missing directory) says nothing useful, so a directory that cannot be
     * made (a read-only file system, a path under a regular file, /proc) is reported here.
     */
    static void prepareDirectory(StoreLocation location, Path databaseFile) throws StoreException {
        Path directory = databaseFile.getParent();
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                // The store is this user's: build requests, logs. Others need not read it.
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (UnsupportedOperationException notPosix) {
            // A file system without POSIX permissions keeps its own defaults.
        } catch (IOException | SecurityException e) {
            throw location.unavailable("cannot create the directory " + directory + " (" + describe(e) + ")");
        }
        if (!Files.isWritable(directory)) {
            throw location.unavailable("the directory " + directory + " is not writable");
        }
    }

    /**
     * Runs {@code work} holding an exclusive lock on {@code <database>.migration-lock}. Flyway takes
     * no lock of its own on SQLite, and two processes creating the schema at once on a fresh store
     * would both try to create the same tables. The kernel drops the lock when a process dies. The
     * lock is tried for, not waited for in the kernel ({@link FileLocks}: a wait there could be refused
     * as a deadlock that is none, while another thread of this process holds a git cache's lock).
     */
    static void exclusively(StoreLocation location, Path databaseFile, Exclusive work) throws StoreException {
        Path lockFile = databaseFile.resolveSibling(databaseFile.getFileName() + ".migration-lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = FileLocks.exclusive(channel)) {
            work.run();
        } catch (IOException e) {
            throw location.unavailable("cannot lock " + lockFile + " (" + describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw location.unavailable("interrupted while waiting for " + lockFile + ", which another Strata process holds");
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return missing.getFile() + " does not exist and cannot be created there";
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getClass().getSimpleName().replace("Exception", "") + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
