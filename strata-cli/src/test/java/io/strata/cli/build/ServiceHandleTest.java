package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.strata.cli.remote.RemoteBuildService;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A record command's handle on a server closes the server's HTTP client: its selector thread waits
 * in native code, and the JVM waits up to 300 ms at exit for such threads, so a `--server` command
 * that left it open paid that on every run. A plain-http server costs no TLS set-up either.
 */
class ServiceHandleTest {
    @Test
    void closingTheHandleOfAServerEndsItsHttpClient() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"reason\":\"BUILD_NOT_FOUND\",\"message\":\"no such build\",\"hint\":\"list builds\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Set<Thread> before = selectorThreads();
        try {
            RemoteBuildService service = new RemoteBuildService(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "strata_token");
            ServiceHandle handle = ServiceHandle.remote(service);
            assertThatThrownBy(() -> handle.builds().get(new BuildId("20261202-000000-0a0b0c"), null))
                    .isInstanceOf(StrataException.class);
            assertThat(service.tlsMade()).as("a plain-http service costs no TLS set-up").isFalse();
            Set<Thread> open = selectorThreads();
            assertThat(open).as("the client is open while the handle is").hasSizeGreaterThan(before.size());

            handle.close();

            for (Thread thread : open) {
                thread.join(5_000); // close() ends the client; its thread is gone by then or a moment after
            }
            assertThat(selectorThreads()).as("every selector thread of the client has ended").isEqualTo(before);
        } finally {
            server.stop(0);
        }
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager"))
                .collect(Collectors.toSet());
    }
}
