package io.strata.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.ChildEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's client of a build daemon ({@code strata_daemon_run} of scripts/lib/build-daemon.sh), run as the
 * launcher runs it: under {@code set -euo pipefail}, exiting with the command's code when the daemon ran it, else
 * saying why the launcher would build by itself ({@code launcher builds: gone} or {@code busy}) and exiting 7.
 */
public final class ShellClient {
    public static final Path LIBRARY = Path.of("..").toAbsolutePath().normalize().resolve("scripts/lib/build-daemon.sh");

    public record Ended(int exit, String out, String err) {}

    private ShellClient() {}

    /** The client of the daemon whose files are {@code key}.sock, .runs and .pid; SIGINT as a terminal would send it. */
    public static ProcessBuilder of(ChildEnvironment environment, Path key, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", "bash", "-c",
                "set -euo pipefail; . \"$1\"; key=\"$2\"; shift 2; if strata_daemon_run \"$key\" \"$@\"; then exit \"$REPLY\"; fi;"
                        + " echo \"launcher builds: $REPLY\"; exit 7", "client", LIBRARY.toString(), key.toString()));
        command.addAll(List.of(args));
        return environment.processBuilder(command);
    }

    public static Ended run(Process process) throws Exception {
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> out.complete(read(process.getInputStream())));
        String err = read(process.getErrorStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ended(process.exitValue(), out.get(30, TimeUnit.SECONDS), err);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
