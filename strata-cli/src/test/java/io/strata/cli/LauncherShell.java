package io.strata.cli;

import io.strata.testkit.ChildEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs a piece of the launcher's bash (a helper sourced from scripts/lib) in the project's root, for the launcher's tests. */
final class LauncherShell {
    record Result(int exit, String out) {}

    private LauncherShell() {}

    /** Runs {@code script} under {@code set -euo pipefail} with {@code args} as its positional parameters. */
    static Result run(ChildEnvironment environment, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "set -euo pipefail; " + script, "script"));
        command.addAll(List.of(args));
        Process bash = environment.processBuilder(command).directory(LauncherProgressTest.ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(bash.waitFor(), out);
    }
}
