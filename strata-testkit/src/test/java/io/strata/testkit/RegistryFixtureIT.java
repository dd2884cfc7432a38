package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFixtureIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void pushedBusyboxImageIsVisibleThroughSkopeo() {
        try (RegistryFixture registry = RegistryFixture.start(); BuildahFixture buildah = BuildahFixture.create()) {
            String digest = buildah.makeBusyboxBaseImage("base/busybox:1", registry);

            JsonNode inspected = registry.skopeoInspect("base/busybox:1");

            assertThat(digest).matches("sha256:[0-9a-f]{64}");
            assertThat(inspected.path("Digest").asText()).isEqualTo(digest);
            assertThat(inspected.path("Architecture").asText()).isEqualTo("amd64");
            assertThat(inspected.path("Os").asText()).isEqualTo("linux");
            assertThat(inspected.path("Layers")).hasSize(1);
            assertThat(registry.tags("base/busybox")).containsExactly("1");
        }
    }

    @Test
    void anonymousRequestsAreRefusedAndTheAuthFileCarriesTheCredentials(@TempDir Path dir) throws Exception {
        try (RegistryFixture registry = RegistryFixture.start()) {
            assertThat(statusOf(registry, null)).isEqualTo(401);

            Path authFile = registry.writeAuthFile(dir.resolve("config.json"));
            JsonNode auths = new ObjectMapper().readTree(Files.readString(authFile)).path("auths");
            String auth = auths.path(registry.host()).path("auth").asText();

            assertThat(new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8))
                    .isEqualTo(registry.username() + ":" + registry.password());
            assertThat(statusOf(registry, auth)).isEqualTo(200);
        }
    }

    @Test
    void registryWithoutAuthAcceptsAnonymousRequests() throws Exception {
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth()) {
            assertThat(registry.requiresAuth()).isFalse();
            assertThat(statusOf(registry, null)).isEqualTo(200);
        }
    }

    @Test
    void stoppedRegistryRefusesConnections() {
        try (RegistryFixture registry = RegistryFixture.start()) {
            registry.stop();

            assertThat(registry.isRunning()).isFalse();
            assertThatThrownBy(() -> statusOf(registry, null)).isInstanceOf(ConnectException.class);
        }
    }

    private static int statusOf(RegistryFixture registry, String basicAuth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/"));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + basicAuth);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
