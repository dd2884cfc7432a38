package io.strata.cli.streams;

import io.strata.cli.StrataEnvironment;
import io.strata.core.StrataException;
import io.strata.kube.streams.ClusterConnection;
import io.strata.kube.streams.GeneratedObjects;
import io.strata.kube.streams.GroupConfig;
import io.strata.kube.streams.GroupDirectory;
import io.strata.kube.streams.StreamsConfig;
import io.strata.kube.streams.StreamsGenerator;
import io.strata.kube.streams.StreamsOptions;
import io.strata.kube.streams.StreamsWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata streams gen-buildconfigs}: renders the group's CI BuildConfigs (and the keep-alive
 * DaemonSet) into one YAML file and optionally applies them to the cluster of the kubeconfig.
 */
@Command(
        name = "gen-buildconfigs",
        mixinStandardHelpOptions = true,
        description = {
            "Generate the OpenShift BuildConfigs that turn ART images into CI-equivalent images.",
            "Reads group.yml, streams.yml and streams_transforms/<transform>/Dockerfile from the group"
                    + " directory and writes one multi-document YAML file. Nothing is written if any"
                    + " requested stream fails."
        })
public final class GenBuildconfigsCommand implements Callable<Integer> {
    static final String DEFAULT_OUTPUT = "gen-buildconfigs.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--group-dir", required = true, paramLabel = "DIR",
            description = "Group directory containing group.yml, streams.yml and streams_transforms/.")
    Path groupDir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = DEFAULT_OUTPUT,
            description = "YAML file to write (default: ${DEFAULT-VALUE} in the current directory).")
    Path output;

    @Option(names = "--apply", description = "Create or update the objects on the cluster after writing them.")
    boolean apply;

    @Option(names = "--as", paramLabel = "USER", description = "Impersonate USER when applying (like oc --as).")
    String asUser;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig for --apply (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--live-test-mode",
            description = "Suffix the group label and image stream tags with .test, to try the objects on a"
                    + " live cluster without feeding CI.")
    boolean liveTestMode;

    @Parameters(paramLabel = "STREAM", arity = "0..*",
            description = "Streams to render (default: all; only then is the keep-alive DaemonSet generated).")
    List<String> streams = new ArrayList<>();

    @Override
    public Integer call() throws StrataException {
        if (asUser != null && !apply) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--as only makes sense with --apply");
        }
        GroupDirectory directory = new GroupDirectory(groupDir);
        GroupConfig group = directory.readGroupConfig();
        StreamsConfig streamsConfig = directory.readStreamsConfig(group);
        GeneratedObjects objects = new StreamsGenerator()
                .generate(group, streamsConfig, directory, new StreamsOptions(streams, liveTestMode));

        if (!apply) {
            write(objects);
            return 0;
        }
        // The kubeconfig is checked before anything is written: a command that fails writes nothing.
        StrataEnvironment environment = StrataEnvironment.of(spec);
        try (ClusterConnection cluster = ClusterConnection.open(Optional.ofNullable(kubeconfig), Optional.ofNullable(asUser),
                environment.variables(), environment.userHome())) {
            write(objects);
            applyToCluster(cluster, objects);
        }
        return 0;
    }

    private void write(GeneratedObjects objects) throws StrataException {
        new StreamsWriter().write(output, objects);
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + objects.summary() + " to " + output);
        out.flush();
    }

    private void applyToCluster(ClusterConnection cluster, GeneratedObjects objects) throws StrataException {
        PrintWriter err = spec.commandLine().getErr();
        if (objects.buildConfigs().isEmpty()) {
            err.println("no BuildConfigs were generated; skipping apply");
            err.flush();
            return;
        }
        err.println("applying " + objects.summary() + " to " + cluster.server()
                + (asUser == null ? "" : " as " + asUser));
        err.flush();
        var applied = cluster.applier().apply(objects, line -> {
            err.println("  " + line);
            err.flush();
        });
        err.println("applied " + applied.size() + " objects");
        err.flush();
    }
}
