package io.strata.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * Exclusive locks on files shared by processes (the store's migration lock, a git cache's lock),
 * taken by trying, not by waiting in the kernel. A blocking {@link FileChannel#lock()} is an
 * {@code fcntl} wait, and the kernel checks such waits for deadlock between processes, not threads:
 * a process with one thread holding the git cache's lock and another waiting for the store's, beside
 * a process the other way round, is refused with EDEADLK ("Resource deadlock avoided"), though
 * neither thread waits for the other's. Eight builds started at once met it, and one failed with
 * STORE_UNAVAILABLE. A lock only tried for is never part of such a check.
 */
public final class FileLocks {
    /** The longest pause between two tries: a lock freed is taken within this, at worst. */
    static final long MAX_PAUSE_MILLIS = 20;

    private FileLocks() {}

    /**
     * The exclusive lock of {@code channel}'s whole file, once no other process holds it. Interrupting
     * the waiting thread ends the wait with an {@link InterruptedException}.
     */
    public static FileLock exclusive(FileChannel channel) throws IOException, InterruptedException {
        long pause = 1;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }
}
