package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineCacheTest {
    @TempDir
    Path cache;

    @Test
    void aFileIsMadeOnceAndServedAfterwards() {
        AtomicInteger made = new AtomicInteger();
        MachineCache.Maker maker = partial -> {
            made.incrementAndGet();
            Files.writeString(partial, "rootfs");
        };

        Path first = MachineCache.file(cache, "base.tar", maker);
        Path second = MachineCache.file(cache, "base.tar", maker);

        assertThat(first).isEqualTo(second).hasContent("rootfs");
        assertThat(made).hasValue(1);
    }

    @Test
    void aDirectoryIsCachedAsWell() {
        Path image = MachineCache.file(cache, "image", partial -> Files.writeString(Files.createDirectories(partial)
                .resolve("manifest.json"), "{}"));

        assertThat(image.resolve("manifest.json")).hasContent("{}");
        assertThat(MachineCache.file(cache, "image", partial -> {
            throw new AssertionError("made again");
        })).isEqualTo(image);
    }

    @Test
    void aFailedMakerLeavesNothingBehindAndTheNextCallMakesTheFile() throws IOException {
        assertThatThrownBy(() -> MachineCache.file(cache, "jre.tar", partial -> {
            Files.createDirectories(partial.resolve("opt/strata"));
            throw new IOException("jlink failed");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("jre.tar").hasMessageContaining(cache.toString());

        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsOnly("jre.tar.lock");
        }
        assertThat(MachineCache.file(cache, "jre.tar", partial -> Files.writeString(partial, "jre"))).hasContent("jre");
    }

    @Test
    void aSecondThreadAskingWhileTheFileIsMadeWaitsForItInsteadOfFailing() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CompletableFuture<Path> second = new CompletableFuture<>();
        Path first = MachineCache.file(cache, "shared.tar", partial -> {
            made.incrementAndGet();
            // Another thread of this JVM asks while this one holds the file lock: it must wait
            // (parked), not fail on the JVM-wide lock (OverlappingFileLockException) or make it again.
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    second.complete(MachineCache.file(cache, "shared.tar", again -> {
                        made.incrementAndGet();
                        Files.writeString(again, "again");
                    }));
                } catch (Throwable e) {
                    second.completeExceptionally(e);
                }
            });
            while (!second.isDone() && other.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            Files.writeString(partial, "once");
        });

        assertThat(second.get()).isEqualTo(first).hasContent("once");
        assertThat(made).hasValue(1);
    }

    @Test
    void theKeyFollowsTheRecipe() {
        assertThat(MachineCache.key(List.of("--variant=essential"))).isEqualTo(MachineCache.key(List.of("--variant=essential")))
                .hasSize(12).isNotEqualTo(MachineCache.key(List.of("--variant=essential", "--include=buildah")));
    }
}
