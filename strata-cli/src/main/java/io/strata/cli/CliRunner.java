package io.strata.cli;

import io.strata.core.StrataException;
import io.strata.core.io.UrlCredentials;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs the command line and turns failures into one clear message and an exit code:
 * 0 success, 1 a failure the user can act on (reason code + hint), 2 bad usage, 3 an internal error.
 */
public final class CliRunner {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    private CliRunner() {}

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new StrataCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
        cli.setParameterExceptionHandler((ex, args1) -> {
            err.println("strata: " + UrlCredentials.redact(ex.getMessage()));
            err.println("  try: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return EXIT_USAGE;
        });
        return cli.execute(args);
    }

    static int report(Exception ex, PrintWriter err) {
        if (ex instanceof StrataException se) {
            // The reason code goes on the first line: a message listing several problems continues below it.
            // Last line of defence: whatever URL a message repeats, its credentials are never printed.
            String message = UrlCredentials.redact(se.getMessage());
            int newline = message.indexOf('\n');
            String first = newline < 0 ? message : message.substring(0, newline);
            err.println("strata: " + first + " [" + se.reason() + "]");
            if (newline >= 0) {
                err.println(message.substring(newline + 1));
            }
            if (!se.hint().isEmpty()) {
                err.println("  fix: " + UrlCredentials.redact(se.hint()));
            }
            return EXIT_FAILURE;
        }
        err.println("strata: internal error: " + UrlCredentials.redact(ex.toString()));
        ex.printStackTrace(err);
        return EXIT_INTERNAL;
    }
}
