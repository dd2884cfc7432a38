package io.strata.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the real command line in-process on an environment built from scratch: no variables at all,
 * no default configuration file, and a home of the test's own. Whatever the developer's shell holds
 * ({@code STRATA_HOME}, {@code STRATA_CONFIG}, {@code KUBECONFIG}, a store in ~/.local/share/strata)
 * cannot reach a test that runs the CLI through this class.
 */
public final class TestCli {
    /** One run: exit code, stdout, stderr. */
    public record Run(int exit, String out, String err) {}

    private final StrataEnvironment environment;

    private TestCli(StrataEnvironment environment) {
        this.environment = environment;
    }

    /** A clean environment whose home is {@code home} (the default store then lives under it). */
    public static TestCli in(Path home) {
        return with(home, Map.of());
    }

    /** A clean environment plus exactly the variables given (e.g. a KUBECONFIG the test wants to try). */
    public static TestCli with(Path home, Map<String, String> variables) {
        return new TestCli(new StrataEnvironment(variables, home.resolve("no-default-osbs.conf"), home));
    }

    public StrataEnvironment environment() {
        return environment;
    }

    public Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CliRunner.run(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
