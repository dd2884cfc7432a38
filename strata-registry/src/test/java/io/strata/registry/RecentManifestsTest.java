package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentManifestsTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private static RegistryResponse answer(int status, String contentType, byte[] body) {
        return new RegistryResponse(status, HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (a, b) -> true), body);
    }

    private static ImageReference image() throws RegistryException {
        return ImageReference.parse("registry.example:5000/team/app");
    }

    @Test
    void aManifestFetchedByDigestAnswersTheNextGetOfItUntilItIsDeleted() throws Exception {
        RecentManifests recent = new RecentManifests();
        RegistryRequest get = RegistryRequest.manifest("GET", image(), DIGEST);
        RegistryResponse fetched = answer(200, MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(recent.answer(get)).isEmpty();
        recent.record(get, fetched);
        assertThat(recent.answer(get)).containsSame(fetched);
        assertThat(recent.answer(RegistryRequest.manifest("GET", ImageReference.parse("registry.example:5000/team/other"),
                DIGEST))).as("another repository").isEmpty();

        recent.record(RegistryRequest.manifest("DELETE", image(), DIGEST), answer(202, "text/plain", new byte[0]));
        assertThat(recent.answer(get)).as("deleted through this client").isEmpty();
    }

    @Test
    void tagsFailuresOtherMethodsAndMediaTypesNotAskedForAreNotAnsweredFromHere() throws Exception {
        RecentManifests recent = new RecentManifests();
        RegistryRequest byTag = RegistryRequest.manifest("GET", image(), "latest");
        recent.record(byTag, answer(200, MediaTypes.OCI_MANIFEST, new byte[2]));
        assertThat(recent.answer(byTag)).as("a tag can move").isEmpty();

        RegistryRequest get = RegistryRequest.manifest("GET", image(), DIGEST);
        recent.record(get, answer(404, "application/json", new byte[2]));
        assertThat(recent.answer(get)).isEmpty();
        recent.record(RegistryRequest.manifest("HEAD", image(), DIGEST), answer(200, MediaTypes.OCI_MANIFEST, new byte[0]));
        assertThat(recent.answer(get)).isEmpty();

        recent.record(get, answer(200, "application/vnd.example.unknown", new byte[2]));
        assertThat(recent.answer(get)).as("not a media type the request accepts").isEmpty();

        recent.record(get, answer(200, MediaTypes.OCI_MANIFEST, new byte[RecentManifests.MAX_BYTES + 1]));
        assertThat(recent.answer(get)).as("too large to keep").isEmpty();
    }

    @Test
    void theSameGetAskedForWhileItIsUnderWayWaitsForItsAnswerAndAFailureIsNotShared() throws Exception {
        RecentManifests recent = new RecentManifests();
        RegistryRequest get = RegistryRequest.manifest("GET", image(), DIGEST);
        RegistryResponse fetched = answer(200, MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        RecentManifests.Sender slow = () -> {
            sent.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return fetched;
        };
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> recent.answer(get, slow));
            while (sent.get() == 0) {
                Thread.onSpinWait();
            }
            var second = threads.submit(() -> recent.answer(get, slow));
            var third = threads.submit(() -> recent.answer(get, slow));
            Thread.sleep(50); // let them find the GET under way (not a timing assertion: either way they share or hit the cache)
            release.countDown();
            assertThat(List.of(first.get(), second.get(), third.get())).allSatisfy(r -> assertThat(r).isSameAs(fetched));
        }
        assertThat(sent).as("one GET went out").hasValue(1);

        RecentManifests fresh = new RecentManifests();
        java.util.concurrent.CountDownLatch failing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        RecentManifests.Sender failsFirst = () -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    failing.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                throw new RegistryException(RegistryException.Reason.REGISTRY_UNREACHABLE, "reset", "try again");
            }
            return fetched;
        };
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> fresh.answer(get, failsFirst));
            while (calls.get() == 0) {
                Thread.onSpinWait();
            }
            var second = threads.submit(() -> fresh.answer(get, failsFirst));
            Thread.sleep(50);
            failing.countDown();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(first::get)).hasCauseInstanceOf(RegistryException.class);
            assertThat(second.get()).as("its own GET, not the failure").isSameAs(fetched);
        }
    }
}
