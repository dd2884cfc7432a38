package io.strata.cli.dockerfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata dockerfile inspect FILE [--build-arg K=V]... [--json] [--strict]}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show stages, parent and base images, labels, envs, args, cmd/entrypoint and the instruction "
                + "structure of a Dockerfile. --json prints the format documented in docs/dockerfile.md.")
final class InspectDockerfileCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Dockerfile.")
    Path file;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A build argument (repeatable).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--strict", description = "Fail (exit 1, file:line and a fix) on the first thing `strata build` "
            + "would refuse, instead of listing it as a warning.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        Map<String, String> args = KeyValueOptions.parse(spec.commandLine(), "--build-arg", buildArgs);
        Dockerfile dockerfile = DockerfileSource.read(file);
        if (strict) {
            try {
                dockerfile.requireBuildable();
            } catch (DockerfileException e) {
                throw DockerfileSource.invalid(file, e);
            }
        }
        InspectReport report = InspectReport.of(file, dockerfile, args);
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(report.toJson(mapper)));
        } else {
            out.print(report.toText());
        }
        out.flush();
        return 0;
    }
}
