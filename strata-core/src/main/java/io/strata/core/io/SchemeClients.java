package io.strata.core.io;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * HTTP clients, one per scheme, each made at its first request: the registry client's, and the
 * command line's client of a build service. The JDK's {@link HttpClient} takes the default TLS
 * context when it is built, whether it ever speaks TLS or not: the trust store read and every
 * certificate in it parsed, cipher suites worked out (about 70 ms of a command's start,
 * docs/benchmarks.md "Whole CLI"). Talking to a plain-http registry or service needs none of it, so
 * the http client gets a TLS context without keys or trust, which it never uses (a URI decides the
 * client by its scheme: https always goes to the one with the default context). Closing closes
 * the clients made: an open client's selector thread would keep the JVM's exit waiting up to 300 ms.
 */
public final class SchemeClients implements AutoCloseable {
    private final Supplier<HttpClient.Builder> builders;
    private HttpClient plain;
    private HttpClient tls;
    private boolean closed;

    /** {@code builders} gives a builder with everything but the TLS settings (timeouts, redirects). */
    public SchemeClients(Supplier<HttpClient.Builder> builders) {
        this.builders = builders;
    }

    public synchronized HttpClient forUri(URI uri) {
        if (closed) {
            throw new IllegalStateException("the HTTP client is closed");
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            if (tls == null) {
                tls = builders.get().build();
            }
            return tls;
        }
        if (plain == null) {
            plain = builders.get().sslContext(inertTls()).sslParameters(new SSLParameters()).build();
        }
        return plain;
    }

    /** Whether a client for https was made: for tests that a plain-http registry costs no TLS set-up. */
    public synchronized boolean tlsMade() {
        return tls != null;
    }

    private static SSLContext inertTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // Empty arrays, not null: null would make the context load the default key and trust managers.
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context: " + e.getMessage(), e);
        }
    }

    /** Closes the clients that were made; each waits for its exchanges under way. */
    @Override
    public void close() {
        HttpClient[] made;
        synchronized (this) {
            closed = true;
            made = new HttpClient[] {plain, tls};
        }
        for (HttpClient client : made) {
            if (client != null) {
                client.close();
            }
        }
    }
}
