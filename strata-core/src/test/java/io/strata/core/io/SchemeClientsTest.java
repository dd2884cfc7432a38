package io.strata.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The plain-http client talks http with a TLS context that is never set up, and the https client
 * is made only for an https URI.
 */
class SchemeClientsTest {
    @Test
    void aPlainHttpExchangeWorksWithoutATlsClient() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "hello over http".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (SchemeClients clients = new SchemeClients(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)))) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");

            HttpResponse<String> response = clients.forUri(uri).send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello over http");
            assertThat(clients.tlsMade()).isFalse();
            assertThat(clients.forUri(URI.create("https://127.0.0.1:1/"))).isNotSameAs(clients.forUri(uri));
            assertThat(clients.tlsMade()).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theInertTlsContextRefusesEveryUse() {
        SSLContext inert = SchemeClients.inertTls();

        assertThatThrownBy(inert::createSSLEngine).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("plain-http");
        assertThatThrownBy(inert::getSocketFactory).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> inert.init(null, null, null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(inert::getClientSessionContext).isInstanceOf(UnsupportedOperationException.class);
    }
}
