package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link DaemonServer} a test started on a socket of its own, serving on a thread of its own until closed. */
final class RunningDaemon implements AutoCloseable {
    private final DaemonServer server;
    private final CompletableFuture<Void> serving = new CompletableFuture<>();

    private RunningDaemon(DaemonServer server) {
        this.server = server;
    }

    static RunningDaemon start(Path socket, Duration idleTimeout, DaemonServer.CommandRunner runner, PrintStream log)
            throws IOException {
        return start(socket, idleTimeout, runner, log, Clock.systemUTC());
    }

    static RunningDaemon start(Path socket, Duration idleTimeout, DaemonServer.CommandRunner runner, PrintStream log,
            Clock clock) throws IOException {
        RunningDaemon daemon = new RunningDaemon(new DaemonServer(socket, idleTimeout, runner, log, clock));
        assertThat(daemon.server.bind()).isTrue();
        // A thread of its own: the common pool has one worker on two cores, which a blocking accept would take.
        Thread.ofVirtual().start(() -> {
            try {
                daemon.server.serve();
                daemon.serving.complete(null);
            } catch (IOException | RuntimeException e) {
                daemon.serving.completeExceptionally(e);
            }
        });
        return daemon;
    }

    /** Waits for the daemon to stop by itself (idle, or asked over its socket). */
    void awaitEnd() throws Exception {
        awaitEnd(Duration.ofSeconds(30));
    }

    /** As {@link #awaitEnd()}, for at most {@code atMost}: a TimeoutException when it still serves then. */
    void awaitEnd(Duration atMost) throws Exception {
        serving.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    DaemonServer server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        awaitEnd();
    }
}
