package io.strata.cli.build;

import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged CLI ({@code target/strata-cli.jar}) as a process of its own, with a Strata-free
 * environment (no {@code STRATA_*} variable of the user's reaches it). Both output streams are
 * collected line by line as they come, so a test can wait for a line.
 */
final class StrataProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private StrataProcess(Process process) {
        this.process = process;
        this.outReader = Thread.ofVirtual().start(() -> collect(process.getInputStream(), out));
        this.errReader = Thread.ofVirtual().start(() -> collect(process.getErrorStream(), err));
    }

    static StrataProcess start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/strata-cli.jar").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        // HOME too is the test's own: the CLI's default store follows $HOME.
        ProcessBuilder builder = ChildEnvironment.of(Path.of("target", "strata-process-home").toAbsolutePath())
                .processBuilder(command);
        return new StrataProcess(builder.start());
    }

    private static void collect(InputStream stream, List<String> lines) {
        try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // the process was killed; what was read is all there is
        }
    }

    /** Waits until a line of stderr matches, or the process ends without one (then empty). */
    Optional<String> awaitErr(Predicate<String> wanted) throws InterruptedException {
        return await(err, wanted);
    }

    /** Waits until a line of stdout matches, or the process ends without one (then empty). */
    Optional<String> awaitOut(Predicate<String> wanted) throws InterruptedException {
        return await(out, wanted);
    }

    private Optional<String> await(List<String> lines, Predicate<String> wanted) throws InterruptedException {
        while (true) {
            Optional<String> line = lines.stream().filter(wanted).findFirst();
            if (line.isPresent() || !process.isAlive()) {
                return line.isPresent() ? line : lines.stream().filter(wanted).findFirst();
            }
            Thread.sleep(50);
        }
    }

    /** Sends the process a signal by name ({@link Signals#send}). */
    void signal(String name) throws IOException, InterruptedException {
        Signals.send(name, process.pid());
    }

    /** Waits for the exit (bounded only so that a hang fails the test instead of the whole run); the exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            throw new AssertionError("strata did not exit; stderr so far:\n" + stderr());
        }
        outReader.join();
        errReader.join();
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    String stdout() {
        return String.join("\n", out);
    }

    String stderr() {
        return String.join("\n", err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
