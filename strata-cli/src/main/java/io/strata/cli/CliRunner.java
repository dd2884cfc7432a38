package io.strata.cli;

import io.strata.cli.options.BuildRequestOptions;
import io.strata.core.StrataException;
import io.strata.core.io.UrlCredentials;
import io.strata.core.request.InvalidBuildRequestException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import io.strata.cli.model.CommandModels;
import picocli.CommandLine;

/**
 * Runs the command line and turns failures into one clear message and an exit code. Every failure
 * prints {@code strata: <what and where> [REASON]} and {@code   fix: <how>} on stderr, never a stack
 * trace. Exit codes (docs/builds.md, "Exit codes"): 0 success, 1 a failure the user can act on
 * (reason code + fix, a FAILED build included), 2 bad usage, 3 an internal error (a bug), 4 a
 * build that was cancelled.
 */
public final class CliRunner {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;
    /** A build that ended CANCELLED (Ctrl-C, SIGTERM or cancel-build): not a failure of the build itself. */
    public static final int EXIT_CANCELLED = 4;
    /** The reason code of a command line picocli could not parse (unknown flag, bad value, missing argument). */
    public static final String USAGE_REASON = "INVALID_USAGE";
    /** The reason code of a bug: an exception that is not a {@link StrataException}. */
    public static final String INTERNAL_REASON = "INTERNAL_ERROR";

    private CliRunner() {}

    public static int run(StrataEnvironment environment, String... args) {
        return run(environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs on {@code environment}. There is deliberately no overload that reads this process's
     * environment: a test must say which environment the command line sees (TestCli builds a clean one).
     */
    public static int run(StrataEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        LibraryShortcuts.apply();
        StartUpWarmUp.begin(System.getProperty(StartUpWarmUp.KIND_PROPERTY, ""), environment, args);
        CommandLine cli = commandLine(environment, args);
        cli.setOut(out);
        cli.setErr(err);
        // --state failed reads like --state FAILED: enum values are names, not case-sensitive spellings.
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
        cli.setParameterExceptionHandler((ex, args1) -> {
            err.println("strata: " + UrlCredentials.redact(firstLine(ex.getMessage())) + " [" + USAGE_REASON + "]");
            err.println("  fix: see `" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help`");
            err.flush();
            return EXIT_USAGE;
        });
        int exit = cli.execute(args);
        StartUpTraining.commandEnded(cli, exit);
        return exit;
    }

    /** The command tree {@code args} needs: the root and {@link #subcommandsFor the subcommands it names}. */
    static CommandLine commandLine(StrataEnvironment environment, String... args) {
        // Replayed from the model recorded when the command line was built, not read from the annotations
        // (io.strata.cli.model.CommandModels says why).
        CommandLine cli = CommandModels.commandLine(new StrataCommand(environment));
        // Before the caller's settings: picocli hands them to the subcommands present when they are set.
        subcommandsFor(args).forEach(type -> cli.addSubcommand(CommandModels.commandLine(type)));
        return cli;
    }

    /**
     * The subcommands {@code args} needs: the one it names (with its own subcommands), none for a bare
     * {@code --version}, and all of them otherwise (usage, {@code help}, a misspelt name that picocli
     * answers with the list and a suggestion). Output is the same as with every subcommand present.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        if (args.length > 0) {
            for (Class<?> subcommand : StrataCommand.SUBCOMMANDS) {
                if (subcommand != CommandLine.HelpCommand.class
                        && CommandModels.name(subcommand).equals(args[0])) {
                    return List.of(subcommand);
                }
            }
        }
        return StrataCommand.SUBCOMMANDS;
    }

    public static int report(Exception ex, PrintWriter err) {
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
            String hint = se instanceof InvalidBuildRequestException invalid ? withFlags(invalid) : se.hint();
            if (!hint.isEmpty()) {
                err.println("  fix: " + UrlCredentials.redact(hint));
            }
            err.flush();
            return EXIT_FAILURE;
        }
        err.println("strata: internal error: " + UrlCredentials.redact(firstLine(String.valueOf(ex))) + " [" + INTERNAL_REASON + "]");
        err.println("  fix: this is a bug in Strata; please report it with " + traceFile(ex));
        err.flush();
        return EXIT_INTERNAL;
    }

    /**
     * A request's fixes speak of fields (git_uri); on the command line, also name the flag that sets
     * it. Several problems get one fix line each.
     */
    private static String withFlags(InvalidBuildRequestException invalid) {
        return invalid.violations().stream()
                .map(v -> v.fix() + BuildRequestOptions.flagFor(v.field()).map(flag -> " (" + flag + ")").orElse(""))
                .distinct()
                .collect(Collectors.joining("\n  fix: "));
    }

    /** The stack trace goes to a file, not the terminal: the user sees one message, the report has the detail. */
    private static String traceFile(Exception ex) {
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        try {
            Path file = Files.createTempFile("strata-internal-error-", ".txt");
            Files.writeString(file, trace.toString());
            return "the stack trace in " + file;
        } catch (IOException | RuntimeException e) {
            return "the command line that caused it (the stack trace could not be written: " + e.getMessage() + ")";
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
