package io.strata.cli.dockerfile;

import io.strata.core.StrataException;
import io.strata.core.io.AtomicFiles;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.dockerfile.UncheckedDockerfileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata dockerfile edit FILE [edits...] [-o OUT | --in-place]}: minimal edits; every byte not
 * edited stays as it was. Writes atomically; on any failure nothing is written.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Edit a Dockerfile in place of its own text: set or remove labels and envs, replace the base "
                + "or parent images, add lines. Prints the result unless -o or --in-place is given.")
final class EditDockerfileCommand implements Callable<Integer> {
    static final String EDIT_FAILED = "DOCKERFILE_EDIT_FAILED";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Dockerfile.")
    Path file;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label in the last stage (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--remove-label", paramLabel = "KEY", description = "Remove a label from the last stage (repeatable).")
    List<String> removeLabels = new ArrayList<>();

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set an env in the last stage (repeatable).")
    List<String> envs = new ArrayList<>();

    @Option(names = "--baseimage", paramLabel = "REF", description = "Replace the last stage's image.")
    String baseImage;

    @Option(names = "--parent-images", paramLabel = "REF", split = ",",
            description = "Replace the stages' images in order: one per stage, or one per stage that uses an image.")
    List<String> parentImages;

    @Option(names = "--add-line", paramLabel = "TEXT", description = "Add a line at the end (repeatable).")
    List<String> addLines = new ArrayList<>();

    @Option(names = "--all-stages", description = "With --add-line: add at the end of every stage.")
    boolean allStages;

    @Option(names = "--skip-scratch", description = "With --add-line: skip stages built FROM scratch.")
    boolean skipScratch;

    @ArgGroup(exclusive = true)
    Output output;

    /** Where the result goes: a new file or the input file; stdout when neither. */
    static final class Output {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the result to OUT.")
        Path out;

        @Option(names = "--in-place", description = "Overwrite FILE with the result.")
        boolean inPlace;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        Map<String, String> labelEdits = KeyValueOptions.parse(cli, "--label", labels);
        Map<String, String> envEdits = KeyValueOptions.parse(cli, "--env", envs);
        if ((allStages || skipScratch) && addLines.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--all-stages and --skip-scratch go with --add-line");
        }
        Dockerfile edited = apply(DockerfileSource.read(file), labelEdits, envEdits);
        if (output == null) {
            cli.getOut().print(edited.content());
            cli.getOut().flush();
            return 0;
        }
        Path target = output.inPlace ? file : output.out;
        try {
            AtomicFiles.writeString(target, edited.content());
        } catch (IOException e) {
            throw new StrataException("DOCKERFILE_WRITE_FAILED", target + ": cannot write: " + e.getMessage(),
                    "check that the directory exists and is writable", e);
        }
        return 0;
    }

    private Dockerfile apply(Dockerfile dockerfile, Map<String, String> labelEdits, Map<String, String> envEdits)
            throws StrataException {
        Dockerfile d = dockerfile;
        try {
            for (String key : removeLabels) {
                d = d.withoutLabel(key);
            }
            for (Map.Entry<String, String> label : labelEdits.entrySet()) {
                d = d.withLabel(label.getKey(), label.getValue());
            }
            for (Map.Entry<String, String> env : envEdits.entrySet()) {
                d = d.withEnv(env.getKey(), env.getValue());
            }
            if (parentImages != null) {
                d = d.withParentImages(parentImages);
            }
            if (baseImage != null) {
                d = d.withBaseImage(baseImage);
            }
            if (!addLines.isEmpty()) {
                d = addLines(d);
            }
            return d;
        } catch (DockerfileException e) {
            throw new StrataException(EDIT_FAILED, file + ":" + e.line() + ": " + e.getMessage(), e.hint(), e);
        } catch (UncheckedDockerfileException e) {
            DockerfileException cause = e.getCause();
            throw new StrataException(EDIT_FAILED, file + ":" + cause.line() + ": the edit would make the Dockerfile "
                    + "invalid: " + cause.getMessage(), "change the edit so the result is a valid Dockerfile", e);
        } catch (IllegalArgumentException e) {
            throw new StrataException(EDIT_FAILED, file + ": " + e.getMessage(), "change the value given to the edit", e);
        }
    }

    private Dockerfile addLines(Dockerfile d) {
        String[] lines = addLines.toArray(String[]::new);
        if (allStages) {
            return d.withLinesAtEndOfEachStage(skipScratch, lines);
        }
        boolean lastIsScratch = "scratch".equalsIgnoreCase(d.baseImage());
        return skipScratch && lastIsScratch ? d : d.withLinesAtEnd(lines);
    }
}
