package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.buildah.ImagePackages;
import io.strata.worker.supply.AddedFile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The two phases of gather_image_content's reading: local storage while the image is pushed, the registry only when storage cannot say. */
class PendingContentTest {
    private static final ImagePackages NONE = new ImagePackages(List.of(), Optional.empty(), Optional.empty());
    private static final PendingContent.Gathered STORED = new PendingContent.Gathered(NONE, List.of("from storage"),
            Optional.of(List.of(new AddedFile("/a", "0".repeat(64), 1))));
    private static final PendingContent.Gathered FROM_REGISTRY = new PendingContent.Gathered(NONE, List.of("from the registry"));

    private final AtomicInteger registryReads = new AtomicInteger();

    @Test
    void whatStorageSettledIsTheAnswerAndTheRegistryIsNotRead() throws Exception {
        PendingContent reading = PendingContent.fromStorage(() -> new PendingContent.FromStorage.Settled(STORED));

        assertThat(reading.settling()).isFalse();
        assertThat(reading.joinQuietly()).as("not settled before the manifest is read back").isEmpty();
        PendingContent settled = reading.thenFromRegistry(this::readRegistry);
        assertThat(settled.join()).contains(STORED);
        assertThat(reading.settledByStorage()).as("the storage reading is over").contains(STORED);
        assertThat(settled.thenFromRegistry(this::readRegistry)).as("settled once").isSameAs(settled);
        assertThat(registryReads).hasValue(0);
    }

    @Test
    void aPackageDatabaseInStorageNeedsAWorkingContainerWithoutAskingTheRegistry() throws Exception {
        PendingContent reading = PendingContent.fromStorage(PendingContent.FromStorage.NeedsContainer::new);

        assertThat(reading.thenFromRegistry(this::readRegistry).join()).isEmpty();
        assertThat(reading.settledByStorage()).isEmpty();
        assertThat(registryReads).hasValue(0);
    }

    @Test
    void whenStorageCannotSayOrItsReadingFailedTheRegistryIsRead() throws Exception {
        PendingContent unknown = PendingContent.fromStorage(PendingContent.FromStorage.Unknown::new);
        PendingContent failed = PendingContent.fromStorage(() -> {
            throw new IllegalStateException("a layer list that is not JSON");
        });

        assertThat(unknown.thenFromRegistry(this::readRegistry).join()).contains(FROM_REGISTRY);
        assertThat(failed.thenFromRegistry(this::readRegistry).join()).contains(FROM_REGISTRY);
        assertThat(registryReads).hasValue(2);
        assertThat(unknown.settledByStorage()).isEmpty();
        assertThat(failed.settledByStorage()).isEmpty();
    }

    /** The push's end does not wait for a storage reading still hashing a large layer: the SBOM then begins later. */
    @Test
    void aStorageReadingNotOverYetSettlesNothingForThePushsEnd() throws Exception {
        java.util.concurrent.CountDownLatch hashing = new java.util.concurrent.CountDownLatch(1);
        PendingContent reading = PendingContent.fromStorage(() -> {
            hashing.await();
            return new PendingContent.FromStorage.Settled(STORED);
        });

        assertThat(reading.settledByStorage()).isEmpty();
        hashing.countDown();
        assertThat(reading.thenFromRegistry(this::readRegistry).join()).contains(STORED);
        assertThat(reading.settledByStorage()).contains(STORED);
    }

    @Test
    void aReadingBegunAfterThePushHasNothingFromStorage() throws Exception {
        PendingContent reading = PendingContent.begin(this::readRegistry);

        assertThat(reading.settling()).isTrue();
        assertThat(reading.settledByStorage()).isEmpty();
        assertThat(reading.join()).contains(FROM_REGISTRY);
    }

    private Optional<PendingContent.Gathered> readRegistry() {
        registryReads.incrementAndGet();
        return Optional.of(FROM_REGISTRY);
    }
}
