package io.strata.worker.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What to run: the arguments (program first), extra environment variables on top of this
 * process's own, an optional working directory, and the secrets to mask in everything the run
 * reports, including {@link #describe()}.
 */
public record ProcessCommand(List<String> arguments, Map<String, String> environment,
        Optional<Path> workingDirectory, SecretMasker masker) {

    public ProcessCommand {
        arguments = List.copyOf(arguments);
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(masker, "masker");
    }

    public static ProcessCommand of(List<String> arguments) {
        return new ProcessCommand(arguments, Map.of(), Optional.empty(), SecretMasker.none());
    }

    public static ProcessCommand of(String... arguments) {
        return of(List.of(arguments));
    }

    public ProcessCommand withEnvironment(Map<String, String> extra) {
        return new ProcessCommand(arguments, extra, workingDirectory, masker);
    }

    public ProcessCommand inDirectory(Path directory) {
        return new ProcessCommand(arguments, environment, Optional.of(directory), masker);
    }

    public ProcessCommand masking(SecretMasker secrets) {
        return new ProcessCommand(arguments, environment, workingDirectory, secrets);
    }

    public String program() {
        return arguments.getFirst();
    }

    /** The command line with secrets masked, for messages; environment values are never shown. */
    public String describe() {
        String envNames = environment.isEmpty() ? "" : new TreeMap<>(environment).keySet() + " ";
        return envNames + masker.mask(String.join(" ", arguments));
    }
}
