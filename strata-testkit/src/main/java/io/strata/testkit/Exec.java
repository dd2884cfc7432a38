package io.strata.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived tool (buildah, skopeo, htpasswd, initdb) to completion for a fixture.
 * Deliberately separate from strata-local's ProcessRunner: the test kit sits below every module
 * and must not depend on the code it helps test.
 */
final class Exec {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final List<String> command;
    private final Collection<String> secrets;
    private final Map<String, String> environment;

    private Exec(List<String> command, Collection<String> secrets, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.secrets = List.copyOf(secrets);
        this.environment = Map.copyOf(environment);
    }

    static Exec of(List<String> command) {
        return new Exec(command, List.of(), Map.of());
    }

    /** Occurrences of these strings are masked in failure messages (passwords passed as arguments). */
    Exec hiding(Collection<String> secretValues) {
        List<String> all = new ArrayList<>(secrets);
        secretValues.stream().filter(s -> !s.isEmpty()).forEach(all::add);
        return new Exec(command, all, environment);
    }

    Exec withEnvironment(Map<String, String> extra) {
        return new Exec(command, secrets, extra);
    }

    /** Runs the command; returns its standard output, or throws with its standard error. */
    String run() {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FixtureException("cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        String stdout = read(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new FixtureException(describe() + " did not finish within " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new FixtureException(describe() + " exited " + process.exitValue() + ": "
                        + mask(stderr.join().strip()) + (stdout.isBlank() ? "" : "\nstdout: " + mask(stdout.strip())));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FixtureException(describe() + " interrupted", e);
        }
        return stdout;
    }

    private String describe() {
        return mask(String.join(" ", command));
    }

    private String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(read(stream)));
        return result;
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
