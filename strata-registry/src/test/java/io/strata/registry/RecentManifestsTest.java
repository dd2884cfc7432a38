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
}
