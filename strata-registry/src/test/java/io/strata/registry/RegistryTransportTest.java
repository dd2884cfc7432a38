package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryTransportTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "docker.io,          https://registry-1.docker.io/v2/",
            "quay.io,            https://quay.io/v2/",
            "registry.lab:5000,  http://registry.lab:5000/v2/",
            "127.0.0.1:5000,     http://127.0.0.1:5000/v2/",
            "[::1]:5000,         http://[::1]:5000/v2/",
            "localhost,          http://localhost/v2/"})
    void picksSchemeAndApiHost(String registry, String expected) {
        RegistryClientConfig config = RegistryClientConfig.defaults().withInsecureRegistries(Set.of("registry.lab:5000"));
        try (RegistryTransport transport = new RegistryTransport(config, Clock.systemUTC())) {
            assertThat(transport.baseUri(registry)).hasToString(expected);
        }
    }

    /**
     * TLS is set up only for an https URL: a command that talks to a plain-http registry never reads the
     * trust store (a JDK HttpClient built the usual way does, at once). A redirect to https still gets TLS.
     */
    @Test
    void setsUpTlsOnlyWhenAnHttpsUrlIsCalled() throws Exception {
        // The storage end hangs up at once: the TLS handshake fails fast, after the client for https was made.
        ServerSocket storage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!storage.isClosed()) {
                try (Socket connection = storage.accept()) {
                    connection.setSoLinger(true, 0);
                } catch (IOException e) {
                    return;
                }
            }
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/v2/", exchange -> {
            if (exchange.getRequestURI().getPath().contains("/blobs/")) {
                // Storage behind an https URL, as S3 or a CDN would be.
                exchange.getResponseHeaders().add("Location", "https://127.0.0.1:" + storage.getLocalPort() + "/blob");
                exchange.sendResponseHeaders(307, -1);
            } else {
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        RegistryClientConfig config = RegistryClientConfig.defaults().withRetry(RegistryRetry.none(), line -> { });
        try (RegistryTransport transport = new RegistryTransport(config, Clock.systemUTC())) {
            ImageReference image = ImageReference.parse("127.0.0.1:" + port + "/team/app:1");

            RegistryResponse manifest = transport.send(RegistryRequest.manifest("GET", image, "1"), line -> { });

            assertThat(manifest.status()).isEqualTo(200);
            assertThat(transport.tlsStarted()).isFalse();

            String digest = "sha256:" + "0".repeat(64);
            assertThatThrownBy(() -> transport.sendFollowingRedirect(RegistryRequest.blob(image, digest), line -> { }))
                    .isInstanceOf(RegistryException.class);
            assertThat(transport.tlsStarted()).isTrue();
        } finally {
            server.stop(0);
            storage.close();
        }
    }
}
