package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one blob API: what it asks the registry and how it reads the answers. A small HTTP server in
 * the test plays the registry, answering each call as the test scripts it and recording it, so the
 * exact calls (and the ones not made) can be checked; the real registry is in the *IT classes.
 */
class RegistryBlobsTest {
    /** One scripted answer. */
    private record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer of(int status, Map<String, String> headers) {
            return new Answer(status, headers, new byte[0]);
        }
    }

    /** The registry's side of one call: {@code call} is "METHOD /v2/...?query", {@code body} what was sent. */
    @FunctionalInterface
    private interface Script {
        Answer answer(String call, byte[] body);
    }

    private HttpServer server;
    private volatile Script script;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private RegistryClient client;
    private ImageReference repository;

    @BeforeEach
    void startRegistry() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        repository = ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/team/app");
        // Retries wait for nothing here: the sleeper returns at once, so the test takes no time.
        RegistryRetry retry = new RegistryRetry(Duration.ofMinutes(1), duration -> { }, System::nanoTime);
        client = new RegistryClient(RegistryClientConfig.defaults().withRetry(retry, retries::add));
    }

    @AfterEach
    void stopRegistry() {
        client.close();
        server.stop(0);
    }

    @Test
    void anUploadLocationBecomesAPathBelowTheRepository() throws Exception {
        ImageReference target = ImageReference.parse("127.0.0.1:5000/team/app");
        assertThat(RegistryBlobs.pathBelowRepository(target, "/v2/team/app/blobs/uploads/abc?_state=x%3Dy"))
                .isEqualTo("blobs/uploads/abc?_state=x%3Dy");
        assertThat(RegistryBlobs.pathBelowRepository(target, "http://127.0.0.1:5000/v2/team/app/blobs/uploads/abc"))
                .isEqualTo("blobs/uploads/abc");
        assertThatThrownBy(() -> RegistryBlobs.pathBelowRepository(target, "/v2/other/blobs/uploads/abc"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("outside repository team/app");
    }

    @Test
    void aBlobTheRepositoryHoldsIsNotSentAgain() throws Exception {
        byte[] config = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        script = (call, body) -> Answer.of(call.startsWith("HEAD ") ? 200 : 500, Map.of());

        assertThat(client.blobs().upload(repository, config)).isEqualTo(Digests.sha256(config));
        assertThat(calls).containsExactly("HEAD /v2/team/app/blobs/" + Digests.sha256(config));
    }

    @Test
    void aBlobStoredOrFoundOnceIsNotAskedAboutAgainInThatRepository() throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(empty);
        script = (call, body) -> {
            if (call.startsWith("HEAD ")) {
                return Answer.of(404, Map.of());
            }
            if (call.startsWith("POST ")) {
                return Answer.of(202, Map.of("Location", call.substring("POST ".length()) + "u1"));
            }
            return Answer.of(201, Map.of());
        };
        ImageReference other = ImageReference.parse(repository.registry() + "/team/other");

        client.blobs().upload(repository, empty);
        client.blobs().upload(repository, empty);
        client.blobs().upload(other, empty);

        assertThat(calls).as("the second upload to team/app asks nothing; team/other is asked").containsExactly(
                "HEAD /v2/team/app/blobs/" + digest, "POST /v2/team/app/blobs/uploads/",
                "PUT /v2/team/app/blobs/uploads/u1?digest=" + digest.replace(":", "%3A"),
                "HEAD /v2/team/other/blobs/" + digest, "POST /v2/team/other/blobs/uploads/",
                "PUT /v2/team/other/blobs/uploads/u1?digest=" + digest.replace(":", "%3A"));
    }

    @Test
    void aWholeUploadIsPostedThenPutWithItsDigestAndAPassingFailureIsTriedAgain() throws Exception {
        byte[] config = "{\"b\":2}".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(config);
        AtomicInteger puts = new AtomicInteger();
        List<byte[]> stored = new ArrayList<>();
        script = (call, body) -> {
            if (call.startsWith("HEAD ")) {
                return Answer.of(404, Map.of());
            }
            if (call.startsWith("POST ")) {
                return Answer.of(202, Map.of("Location", "/v2/team/app/blobs/uploads/u1?_state=s"));
            }
            if (puts.incrementAndGet() == 1) {
                return Answer.of(503, Map.of()); // a registry restarting: passes by itself
            }
            stored.add(body);
            return Answer.of(201, Map.of());
        };

        assertThat(client.blobs().upload(repository, config)).isEqualTo(digest);
        String put = "PUT /v2/team/app/blobs/uploads/u1?_state=s&digest=" + digest.replace(":", "%3A");
        assertThat(calls).containsExactly("HEAD /v2/team/app/blobs/" + digest, "POST /v2/team/app/blobs/uploads/", put, put);
        assertThat(stored).singleElement().isEqualTo(config);
        assertThat(retries).singleElement().asString().contains("HTTP 503").contains("trying again");
    }

    @Test
    void aStreamedUploadSendsThePatchThenClosesWithTheDigestKnownOnlyAfterwards() throws Exception {
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        List<byte[]> patched = new ArrayList<>();
        script = (call, body) -> {
            if (call.startsWith("POST ")) {
                return Answer.of(202, Map.of("Location", "/v2/team/app/blobs/uploads/u2"));
            }
            if (call.startsWith("PATCH ")) {
                patched.add(body);
                return Answer.of(202, Map.of("Location", "/v2/team/app/blobs/uploads/u2?_state=after"));
            }
            return Answer.of(201, Map.of());
        };

        String digest = client.blobs().upload(repository, new ByteArrayInputStream(layer), () -> Digests.sha256(layer));

        assertThat(digest).isEqualTo(Digests.sha256(layer));
        assertThat(patched).singleElement().isEqualTo(layer);
        assertThat(calls).containsExactly("POST /v2/team/app/blobs/uploads/", "PATCH /v2/team/app/blobs/uploads/u2",
                "PUT /v2/team/app/blobs/uploads/u2?_state=after&digest=" + digest.replace(":", "%3A"));
    }

    /**
     * The registry's side of a chunked upload, as the distribution registry keeps it: the bytes
     * stored so far, the offset signed into each Location, GET telling the count in {@code Range}
     * (as a registry that resumes uploads does). {@code patchFault} may store part of a PATCH and
     * fail it; a PATCH or PUT on a stale Location is refused as lost.
     */
    private final class ChunkedRegistry implements Script {
        final java.io.ByteArrayOutputStream stored = new java.io.ByteArrayOutputStream();
        final List<Integer> patchSizes = new CopyOnWriteArrayList<>();
        volatile java.util.function.BiFunction<Integer, byte[], Integer> patchFault = (n, body) -> -1;
        private final AtomicInteger patches = new AtomicInteger();
        private final AtomicInteger sessions = new AtomicInteger();

        @Override
        public synchronized Answer answer(String call, byte[] body) {
            if (call.startsWith("POST ")) {
                stored.reset();
                sessions.incrementAndGet();
                return Answer.of(202, Map.of("Location", location()));
            }
            String session = "u" + sessions.get();
            if (!call.contains("/uploads/" + session + "?")) {
                return Answer.of(404, Map.of()); // BLOB_UPLOAD_UNKNOWN: an earlier session
            }
            int state = Integer.parseInt(call.replaceAll(".*_state=(\\d+).*", "$1"));
            if (state != stored.size() && !call.startsWith("GET ")) {
                return Answer.of(400, Map.of()); // BLOB_UPLOAD_INVALID: distribution cancels such an upload
            }
            if (call.startsWith("GET ")) {
                return Answer.of(204, Map.of("Location", location(), "Range", "0-" + Math.max(0, stored.size() - 1)));
            }
            if (call.startsWith("PATCH ")) {
                int keep = patchFault.apply(patches.incrementAndGet(), body);
                if (keep >= 0) {
                    stored.write(body, 0, keep);
                    return Answer.of(503, Map.of());
                }
                patchSizes.add(body.length);
                stored.write(body, 0, body.length);
                return Answer.of(202, Map.of("Location", location()));
            }
            return Answer.of(201, Map.of());
        }

        private String location() {
            return "/v2/team/app/blobs/uploads/u" + sessions.get() + "?_state=" + stored.size();
        }
    }

    /** A reproducible blob that counts how often it was opened. */
    private static final class Reopenable implements StreamedBlob {
        final byte[] bytes;
        final AtomicInteger opened = new AtomicInteger();

        Reopenable(int length) {
            bytes = new byte[length];
            new java.util.Random(length).nextBytes(bytes);
        }

        @Override
        public java.io.InputStream open() {
            opened.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public String digest() {
            return Digests.sha256(bytes);
        }
    }

    @Test
    void aStreamedBlobGoesOutInChunksOfAtMostTheChunkSize() throws Exception {
        ChunkedRegistry registry = new ChunkedRegistry();
        script = registry;
        Reopenable blob = new Reopenable(2500);

        assertThat(client.blobs().upload(repository, blob, 1000)).isEqualTo(Digests.sha256(blob.bytes));

        assertThat(registry.stored.toByteArray()).isEqualTo(blob.bytes);
        assertThat(registry.patchSizes).containsExactly(1000, 1000, 500);
        assertThat(calls.getLast()).startsWith("PUT /v2/team/app/blobs/uploads/u1?_state=2500&digest=sha256%3A");
        assertThat(retries).isEmpty();
    }

    @Test
    void aPatchThatFailsInPassingIsResentFromWhereTheRegistryStopped() throws Exception {
        ChunkedRegistry registry = new ChunkedRegistry();
        // The second PATCH: the registry keeps 300 of its bytes, then answers 503, once.
        registry.patchFault = (n, body) -> n == 2 ? 300 : -1;
        script = registry;
        Reopenable blob = new Reopenable(2500);

        assertThat(client.blobs().upload(repository, blob, 1000)).isEqualTo(Digests.sha256(blob.bytes));

        assertThat(registry.stored.toByteArray()).isEqualTo(blob.bytes);
        // the resend asks where the registry is and sends only the 700 bytes it lacks
        assertThat(registry.patchSizes).containsExactly(1000, 700, 500);
        assertThat(calls).contains("GET /v2/team/app/blobs/uploads/u1?_state=1000");
        assertThat(blob.opened).hasValue(1);
        assertThat(retries).singleElement().asString().contains("HTTP 503").contains("sending bytes from 1000");
    }

    @Test
    void anUploadSessionTheRegistryLostIsStartedOverFromTheBlobsStart() throws Exception {
        ChunkedRegistry registry = new ChunkedRegistry();
        // As the distribution registry does: part of a broken PATCH stored, the stale state refused.
        registry.patchFault = (n, body) -> n == 2 ? 300 : -1;
        // The status request carries the state from before the partial write: distribution cancels.
        script = (call, body) -> call.startsWith("GET ") ? Answer.of(400, Map.of()) : registry.answer(call, body);
        Reopenable blob = new Reopenable(2500);

        assertThat(client.blobs().upload(repository, blob, 1000)).isEqualTo(Digests.sha256(blob.bytes));

        assertThat(registry.stored.toByteArray()).isEqualTo(blob.bytes);
        assertThat(blob.opened).hasValue(2);
        assertThat(calls.stream().filter(call -> call.startsWith("POST "))).hasSize(2);
        assertThat(retries).anySatisfy(line -> assertThat(line).contains("lost the upload").contains("session 2"));
    }

    @Test
    void aStreamReadOnceCannotBeStartedOverAndSaysSo() {
        ChunkedRegistry registry = new ChunkedRegistry();
        registry.patchFault = (n, body) -> n == 2 ? 300 : -1;
        script = (call, body) -> call.startsWith("GET ") ? Answer.of(404, Map.of()) : registry.answer(call, body);
        byte[] bytes = new Reopenable(2500).bytes;

        assertThatThrownBy(() -> client.blobs().upload(repository,
                StreamedBlob.once(new ByteArrayInputStream(bytes), () -> Digests.sha256(bytes)), 1000))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the registry lost the upload")
                .hasMessageContaining("read once already");
    }

    @Test
    void aMountTheRegistryRefusesCancelsTheUploadItOpenedInstead() throws Exception {
        ImageReference base = ImageReference.parse(repository.registry() + "/library/base");
        script = (call, body) -> call.startsWith("POST ")
                ? Answer.of(202, Map.of("Location", "/v2/team/app/blobs/uploads/u3"))
                : Answer.of(204, Map.of());

        assertThat(client.blobs().mount(repository, "sha256:" + "a".repeat(64), base)).isFalse();
        assertThat(calls).containsExactly("POST /v2/team/app/blobs/uploads/?mount=sha256%3A" + "a".repeat(64)
                + "&from=library%2Fbase", "DELETE /v2/team/app/blobs/uploads/u3");

        calls.clear();
        script = (call, body) -> Answer.of(201, Map.of());
        assertThat(client.blobs().mount(repository, "sha256:" + "a".repeat(64), base)).isTrue();
        assertThat(calls).hasSize(1);
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsRefused() {
        String digest = Digests.sha256("what was asked for".getBytes(StandardCharsets.UTF_8));
        script = (call, body) -> new Answer(200, Map.of(), "something else".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client.blobs().blob(repository, digest))
                .isInstanceOfSatisfying(RegistryException.class, e ->
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.DIGEST_MISMATCH))
                .hasMessageContaining(digest).hasMessageContaining("team/app");
    }

    @Test
    void aBlobTheRepositoryLacksIsAbsentAndAnyOtherRefusalIsAnError() throws Exception {
        script = (call, body) -> Answer.of(404, Map.of());
        assertThat(client.blobs().hasBlob(repository, "sha256:" + "b".repeat(64))).isFalse();

        script = (call, body) -> Answer.of(405, Map.of());
        assertThatThrownBy(() -> client.blobs().hasBlob(repository, "sha256:" + "b".repeat(64)))
                .isInstanceOf(RegistryException.class).hasMessageContaining("does not allow HEAD");
    }

    @Test
    void anArtifactManifestSaysWhetherTheRegistryIndexedItsSubject() throws Exception {
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        String subject = "sha256:" + "c".repeat(64);
        script = (call, body) -> Answer.of(201, Map.of("OCI-Subject", subject));
        assertThat(client.blobs().putSubjectIndexed(repository, MediaTypes.OCI_MANIFEST, manifest, subject)).isTrue();
        assertThat(calls).containsExactly("PUT /v2/team/app/manifests/" + Digests.sha256(manifest));

        script = (call, body) -> Answer.of(201, Map.of());
        assertThat(client.blobs().putSubjectIndexed(repository, MediaTypes.OCI_MANIFEST, manifest, subject)).isFalse();
    }

    /** distribution 2.8's answer to a manifest PUT while another client rewrites the link to a blob it names. */
    private static final byte[] BLOB_UNREAD = ("{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did"
            + " not match uploaded content\"},{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\","
            + "\"detail\":\"sha256:" + "d".repeat(64) + "\"}]}").getBytes(StandardCharsets.UTF_8);

    @Test
    void aManifestRefusedForABlobTheRegistryCouldNotReadIsStoredMomentsLater() throws Exception {
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        AtomicInteger puts = new AtomicInteger();
        script = (call, body) -> puts.incrementAndGet() == 1
                ? new Answer(400, Map.of(), BLOB_UNREAD) : Answer.of(201, Map.of());

        assertThat(client.blobs().putManifest(repository, "1", MediaTypes.OCI_MANIFEST, manifest))
                .isEqualTo(Digests.sha256(manifest));

        assertThat(calls).containsExactly("PUT /v2/team/app/manifests/1", "PUT /v2/team/app/manifests/1");
        assertThat(retries).singleElement().asString().contains("could not read a blob the manifest names")
                .contains("MANIFEST_BLOB_UNKNOWN").contains("trying again in 50 ms");
    }

    @Test
    void aBlobThatStaysUnknownFailsTheManifestAfterTheShortRetriesAndOtherRefusalsAtOnce() {
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        script = (call, body) -> new Answer(400, Map.of(), BLOB_UNREAD);
        assertThatThrownBy(() -> client.blobs().putManifest(repository, "1", MediaTypes.OCI_MANIFEST, manifest))
                .isInstanceOf(RegistryException.class).hasMessageContaining("MANIFEST_BLOB_UNKNOWN");
        assertThat(calls).hasSize(RegistryBlobs.UNREAD_BLOB_WAITS.size() + 1);

        calls.clear();
        script = (call, body) -> new Answer(400, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_INVALID\"}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.blobs().putManifest(repository, "1", MediaTypes.OCI_MANIFEST, manifest))
                .isInstanceOf(RegistryException.class).hasMessageContaining("MANIFEST_INVALID");
        assertThat(calls).as("a manifest the registry finds wrong is not sent again").hasSize(1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String query = exchange.getRequestURI().getRawQuery();
            String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + (query == null ? "" : "?" + query);
            calls.add(call);
            Answer answer = script.answer(call, body);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean empty = answer.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), empty ? -1 : answer.body().length);
            if (!empty) {
                exchange.getResponseBody().write(answer.body());
            }
        }
    }
}
