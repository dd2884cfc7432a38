package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Files that are expensive to make and the same for every test run on this machine (a Debian root
 * file system, a Java runtime), kept in {@code /var/tmp/strata-testkit-cache}, outside any user's
 * Strata directories. Each is made under a file lock, so concurrent test JVMs make it once, into a
 * partial file that takes the final name only when whole.
 */
public final class MachineCache {
    /** Where the files are kept. */
    public static final Path DIRECTORY = Path.of("/var/tmp/strata-testkit-cache");

    /** Writes the file (or directory) to make at the path it is given. */
    @FunctionalInterface
    public interface Maker {
        void make(Path partial) throws IOException;
    }

    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private MachineCache() {}

    /** The cached file or directory {@code name}, made first by {@code maker} when missing. */
    public static Path file(String name, Maker maker) {
        return file(DIRECTORY, name, maker);
    }

    static Path file(Path directory, String name, Maker maker) {
        Path file = directory.resolve(name);
        // A file lock is held by the JVM, not the thread: a second thread asking for it would get
        // OverlappingFileLockException, so threads of one JVM take turns first.
        IN_THIS_JVM.lock();
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (!Files.exists(file)) {
                    Path partial = directory.resolve("partial-" + ProcessHandle.current().pid() + "-" + name);
                    try {
                        maker.make(partial);
                        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        TempDirs.deleteRecursively(partial); // what a failed maker left
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + name + " in the test kit's cache " + directory, e);
        } finally {
            IN_THIS_JVM.unlock();
        }
    }

    /**
     * A short hash of what a cached file is made from, for its name: a changed recipe makes a new
     * file instead of serving a stale one.
     */
    public static String key(List<String> recipe) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", recipe).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
