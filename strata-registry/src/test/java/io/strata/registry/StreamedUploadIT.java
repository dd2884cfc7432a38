package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.RegistryFixture;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A streamed blob upload whose PATCH the network breaks half-way, against the real distribution
 * registry behind a loopback proxy that resets the connection once ({@link CuttingProxy}): the upload
 * goes on (from where the registry stopped, or from the start in a new session when the registry
 * dropped the broken one, as distribution does) and the registry ends up with exactly the blob.
 * Before chunked PATCHes with retries, the one streamed PATCH failed the push.
 */
class StreamedUploadIT {
    @Test
    void aPatchTheNetworkBreaksHalfWayIsSentAgainAndTheRegistryHoldsTheWholeBlob() throws Exception {
        byte[] bytes = new byte[12 << 20];
        new Random(15).nextBytes(bytes);
        AtomicInteger opened = new AtomicInteger();
        StreamedBlob blob = counting(bytes, opened);
        List<String> retries = new CopyOnWriteArrayList<>();
        // Waits are skipped: the registry stays up, only one connection breaks.
        RegistryRetry retry = new RegistryRetry(Duration.ofMinutes(2), duration -> { }, System::nanoTime);
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                CuttingProxy proxy = new CuttingProxy(Integer.parseInt(registry.host().substring("127.0.0.1:".length())),
                        6L << 20);
                RegistryClient client = new RegistryClient(RegistryClientConfig.defaults().withRetry(retry, retries::add))) {
            ImageReference repository = ImageReference.parse(proxy.host() + "/it/streamed");

            String digest = client.blobs().upload(repository, blob, 4 << 20);

            assertThat(proxy.hasCut()).isTrue();
            assertThat(digest).isEqualTo(Digests.sha256(bytes));
            assertThat(registry.blob("it/streamed", digest)).isEqualTo(bytes);
            assertThat(retries).anySatisfy(line -> assertThat(line).contains("sending bytes from " + (4 << 20)));
            assertThat(opened.get()).isBetween(1, 2);
        }
    }

    /**
     * The registry stored the blob and closed the upload, and the answer to the closing PUT never
     * came back: the retry finds the blob there instead of sending it all again from a new session.
     */
    @Test
    void aClosingPutWhoseAnswerWasLostIsNotFollowedByTheWholeBlobAgain() throws Exception {
        byte[] bytes = new byte[1 << 20];
        new Random(16).nextBytes(bytes);
        AtomicInteger opened = new AtomicInteger();
        StreamedBlob blob = counting(bytes, opened);
        RegistryRetry retry = new RegistryRetry(Duration.ofMinutes(2), duration -> { }, System::nanoTime);
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                CuttingProxy proxy = CuttingProxy.losingAnswerTo(
                        Integer.parseInt(registry.host().substring("127.0.0.1:".length())), "PUT ");
                RegistryClient client = new RegistryClient(RegistryClientConfig.defaults().withRetry(retry, line -> { }))) {
            ImageReference repository = ImageReference.parse(proxy.host() + "/it/closed");

            String digest = client.blobs().upload(repository, blob, 4 << 20);

            assertThat(proxy.hasCut()).isTrue();
            assertThat(digest).isEqualTo(Digests.sha256(bytes));
            assertThat(registry.blob("it/closed", digest)).isEqualTo(bytes);
            assertThat(opened.get()).as("the blob was read once: not sent again").isEqualTo(1);
        }
    }

    /** A blob of {@code bytes} that counts in {@code opened} how often it is read from its start. */
    private static StreamedBlob counting(byte[] bytes, AtomicInteger opened) {
        return new StreamedBlob() {
            @Override
            public InputStream open() {
                opened.incrementAndGet();
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public String digest() {
                return Digests.sha256(bytes);
            }
        };
    }
}
