package io.strata.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock tried for: taken when free, waited for while another process holds it, and the wait can be interrupted. */
class FileLocksTest {
    @TempDir
    Path dir;

    /** Another process: holds the lock of the file named by its argument until its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                System.out.println("held");
                System.out.flush();
                System.in.read();
            }
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsTakenOnceItIsFreedAndTheWaitCanBeInterrupted() throws Exception {
        Path file = dir.resolve("shared.lock");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");

            java.util.concurrent.atomic.AtomicReference<Object> ended = new java.util.concurrent.atomic.AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    ended.set(FileLocks.exclusive(channel));
                } catch (Exception e) {
                    ended.set(e);
                }
            });
            Thread.sleep(100);
            assertThat(waiter.isAlive()).as("waits while the other process holds it").isTrue();
            waiter.interrupt();
            waiter.join();
            assertThat(ended.get()).isInstanceOf(InterruptedException.class);

            CompletableFuture<FileLock> taken = CompletableFuture.supplyAsync(() -> {
                try {
                    return FileLocks.exclusive(channel);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            assertThat(taken).isNotDone();
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (FileLock lock = taken.get(30, TimeUnit.SECONDS)) {
                assertThat(lock.isValid()).isTrue();
            }
        } finally {
            holder.destroy();
        }
    }
}
