package io.strata.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Whether this command's run may train the launcher's start-up cache of its kind of command (JDK 25+: the
 * AOT cache; JDK 21 to 24: the class data sharing archive).
 * The launcher records what the first command of a kind loads, and every later command of that kind
 * starts from a cache made of that recording until the jar changes. A run that printed help, failed,
 * or took a shortcut (a reused build runs no buildah step and writes no SBOM) loads too few of its
 * kind's classes: builds started 0.5-0.7 s slower from a cache recorded by {@code strata build --help}
 * (docs/benchmarks.md, "CLI start-up", eighth pass). So a recording is used only when its command
 * vouched for it by writing {@code RECORDING.ok} beside it (scripts/lib/startup-recordings.sh); otherwise the
 * launcher drops it and the next command of the kind records again. The catch-all kind {@code cli} is the
 * exception: any successful command of it vouches ({@link #trains}).
 * <p>The launcher names the recording in {@value #RECORDING_PROPERTY} only when it records; without it
 * (tests, a cache already made) nothing here writes anything.
 */
public final class StartUpTraining {
    /** The system property the launcher sets to the recording's path while it records. */
    static final String RECORDING_PROPERTY = "strata.startup.record";

    /** The launcher's kind for every command without a cache of its own (scripts/lib/command-kind.sh). */
    static final String CATCH_ALL_KIND = "cli";

    private static final AtomicBoolean SHORTCUT = new AtomicBoolean();

    private StartUpTraining() {}

    /**
     * Says that this run took a shortcut past its kind's usual work (a build reused or given a new release
     * without running its steps), so its recording must not train the cache.
     */
    public static void tookAShortcut() {
        SHORTCUT.set(true);
    }

    /**
     * Vouches now for a command that runs until a signal ends the JVM ({@code serve}, {@code controller}):
     * its end never returns through {@link CliRunner}. Call it once the command has started; what it loads
     * later is recorded too, at its exit.
     */
    public static void running() {
        vouch(recording());
    }

    /** Vouches for the recording when {@code cli}'s command, which returned {@code exit}, did its whole work. */
    static void commandEnded(CommandLine cli, int exit) {
        if (trains(System.getProperty(StartUpWarmUp.KIND_PROPERTY, ""), exit, SHORTCUT.get(), cli.getParseResult())) {
            vouch(recording());
        }
    }

    /**
     * Whether a run of the launcher's {@code kind} of command trains the cache: it succeeded (a command line
     * picocli could not parse has no result), and, for a kind with one kind of work (builds, the record
     * commands, the service...), it took no shortcut and ran its command rather than printing usage, a
     * version or help. The launcher's catch-all kind {@code cli} (`--version`, `render`, `dockerfile`,
     * `tokens`...) has no one whole work: any successful command of it trains its cache.
     */
    static boolean trains(String kind, int exit, boolean shortcut, ParseResult parsed) {
        if (exit != 0 || parsed == null) {
            return false;
        }
        if (kind.equals(CATCH_ALL_KIND)) {
            return true;
        }
        if (shortcut || !parsed.hasSubcommand()) {
            return false; // (the bare root command prints usage)
        }
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()
                    || level.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return false;
            }
        }
        return true;
    }

    static Optional<Path> recording() {
        String path = System.getProperty(RECORDING_PROPERTY, "");
        return path.isBlank() ? Optional.empty() : Optional.of(Path.of(path));
    }

    static void vouch(Optional<Path> recording) {
        recording.ifPresent(path -> {
            try {
                Files.createFile(path.resolveSibling(path.getFileName() + ".ok"));
            } catch (FileAlreadyExistsException e) {
                // vouched already
            } catch (IOException e) {
                // Nothing is lost: the launcher drops the recording and a later command records again.
            }
        });
    }
}
