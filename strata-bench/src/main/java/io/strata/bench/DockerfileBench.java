package io.strata.bench;

import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse + inspect and edit of a 5,000-instruction Dockerfile (about 0.3 MB). Throughput in MB/s is
 * {@code ops/s * size}; the size is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DockerfileBench {
    static final int INSTRUCTIONS = 5_000;

    private String text;
    private Dockerfile parsed;

    @Setup(Level.Trial)
    public void setUp() throws DockerfileException {
        text = DockerfileBenchInput.generate(INSTRUCTIONS, 42L);
        parsed = Dockerfile.parse(text);
        System.out.printf("%n[DockerfileBench] input: %d instructions, %d chars (%.3f MB as UTF-8)%n",
                parsed.instructions().size(), text.length(),
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1e6);
    }

    /** Parse only: the scanner, line joining, argument parsing and stage resolution. */
    @Benchmark
    public Dockerfile parse() throws DockerfileException {
        return Dockerfile.parse(text);
    }

    /** Parse, then read what atomic-reactor reads: parent images, base image, labels and envs. */
    @Benchmark
    public void parseAndInspect(Blackhole bh) throws DockerfileException {
        Dockerfile d = Dockerfile.parse(text);
        bh.consume(d.parentImages());
        bh.consume(d.baseImage());
        bh.consume(d.labels());
        bh.consume(d.envs());
        bh.consume(d.args());
    }

    /** Set one existing label, add one new label and replace the base image (each edit re-parses). */
    @Benchmark
    public Dockerfile edit() {
        return parsed.withLabel("com.example.component", "edited")
                .withLabel("com.example.release", "1")
                .withBaseImage("registry.example.com/ubi9/ubi:9.5");
    }
}
