package io.strata.core.io;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
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

    /**
     * A TLS context that never speaks TLS, made without the JDK's TLS provider: the plain-http client
     * must be given one, and even an empty context of the provider cost a command about 20 ms (the
     * provider's services registered, a secure random seeded). The JDK's client asks nothing of the
     * context it is given with its parameters (it only keeps it), and a plain-http exchange never
     * uses it; anything that tried would fail loudly here rather than speak TLS without trust.
     */
    public static SSLContext inertTls() {
        return new InertTls();
    }

    private static final class InertTls extends SSLContext {
        InertTls() {
            super(new NoTls(), null, "none");
        }
    }

    private static final class NoTls extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("the plain-http client has no TLS: an https URI takes the other client");
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
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
