package io.strata.bench;

import io.strata.core.StrataException;
import io.strata.kube.streams.GeneratedObjects;
import io.strata.kube.streams.GroupConfig;
import io.strata.kube.streams.InMemoryTemplates;
import io.strata.kube.streams.StreamsConfig;
import io.strata.kube.streams.StreamsGenerator;
import io.strata.kube.streams.StreamsOptions;
import io.strata.kube.streams.StreamsWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@code strata streams gen-buildconfigs} spends on a large group, without JVM start-up and
 * file I/O: rendering every stream (template edits, BuildConfigs, the DaemonSet), and that plus
 * serialising the multi-document YAML. Target: well under one second for 1,000 streams.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamsBench {

    @Param({"1000"})
    int streams;

    private GroupConfig group;
    private StreamsConfig streamsConfig;
    private InMemoryTemplates templates;
    private final StreamsGenerator generator = new StreamsGenerator();
    private final StreamsWriter writer = new StreamsWriter();

    @Setup
    public void createGroup() {
        group = StreamsBenchGroup.group();
        streamsConfig = StreamsBenchGroup.streams(streams);
        templates = StreamsBenchGroup.templates();
    }

    @Benchmark
    public GeneratedObjects generate() throws StrataException {
        return generator.generate(group, streamsConfig, templates, StreamsOptions.allStreams());
    }

    @Benchmark
    public String generateAndRenderYaml() throws StrataException {
        return writer.render(generator.generate(group, streamsConfig, templates, StreamsOptions.allStreams()));
    }
}
