package io.strata.cli.render;

import io.strata.cli.options.BuildRequestOptions;
import io.strata.cli.options.ConfigOptions;
import io.strata.cli.options.OutputOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.render.BuildConfigRenderer;
import io.strata.core.render.DockerfileFacts;
import io.strata.core.render.RenderedBuildConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata render build-config}: the orchestrator BuildConfig osbs-client would have created. */
@Command(name = "build-config", mixinStandardHelpOptions = true,
        description = "Print the orchestrator BuildConfig for a build request, as osbs-client rendered it.")
public final class RenderBuildConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    BuildRequestOptions requestOptions;

    @Mixin
    OutputOptions outputOptions;

    @Option(names = "--base-image", paramLabel = "IMAGE",
            description = "The image the Dockerfile builds FROM (osbs-client read it from the Dockerfile).")
    String baseImage;

    @Option(names = "--name-label", paramLabel = "NAME",
            description = "The Dockerfile's name label; names the image stream (default: --label name, else the component).")
    String nameLabel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = configOptions.load(spec.commandLine().getErr()).config();
        RenderedBuildConfig rendered = new BuildConfigRenderer(Clock.systemUTC(), RandomGenerator.getDefault())
                // Printed, and applied to a cluster: no credential of the request's URLs goes in (a
                // cluster build takes git credentials from a source secret, not from the URL).
                .render(requestOptions.toBuildRequest().withoutCredentials(), config,
                        new DockerfileFacts(Optional.ofNullable(baseImage), Optional.ofNullable(nameLabel)));
        out.print(outputOptions.format().write(rendered.buildConfig()));
        out.flush();
        return 0;
    }
}
