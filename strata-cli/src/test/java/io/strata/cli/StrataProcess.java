package io.strata.cli;

import io.strata.testkit.ChildEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the packaged command line ({@code target/strata-cli.jar}) as its own process, the way a user
 * runs it, on a {@link ChildEnvironment}: nothing of the developer's Strata environment reaches it.
 * Every test that runs the CLI as a process goes through here.
 */
public final class StrataProcess {
    private StrataProcess() {}

    /** A builder for {@code strata args...} on {@code environment}; the caller redirects and starts it. */
    public static ProcessBuilder builder(ChildEnvironment environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/strata-cli.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return environment.processBuilder(command);
    }

    /** Runs {@code strata args...} to its end; stdout and stderr are returned apart. */
    public static TestCli.Run run(ChildEnvironment environment, String... args) throws IOException, InterruptedException {
        Process process = builder(environment, args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                out.complete(new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.completeExceptionally(e);
            }
        });
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = process.waitFor();
        return new TestCli.Run(exit, out.join(), err);
    }
}
