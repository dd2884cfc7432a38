package io.strata.bench;

import io.strata.core.StrataException;
import io.strata.kube.streams.GeneratedObjects;
import io.strata.kube.streams.GroupConfig;
import io.strata.kube.streams.InMemoryTemplates;
import io.strata.kube.streams.StreamsConfig;
import io.strata.kube.streams.StreamsGenerator;
import io.strata.kube.streams.StreamsOptions;
import io.strata.kube.streams.StreamsWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Companion to {@link StreamsBench} for shared machines: times the same two operations on 1,000
 * streams by the measuring thread's CPU time as well as by wall time, so other processes taking the
 * CPU do not hide what the work itself costs. Run:
 * {@code java -cp ... io.strata.bench.StreamsBenchCpuTime [rounds]}.
 */
public final class StreamsBenchCpuTime {
    private static final int STREAMS = 1000;
    private static final int OPS_PER_ROUND = 10;

    private StreamsBenchCpuTime() {}

    /** One measured operation. */
    private interface Operation {
        void run() throws StrataException;
    }

    public static void main(String[] args) throws StrataException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        GroupConfig group = StreamsBenchGroup.group();
        StreamsConfig streams = StreamsBenchGroup.streams(STREAMS);
        InMemoryTemplates templates = StreamsBenchGroup.templates();
        StreamsGenerator generator = new StreamsGenerator();
        StreamsWriter writer = new StreamsWriter();

        measure("generate", rounds, () -> consume(generator.generate(group, streams, templates, StreamsOptions.allStreams())));
        measure("generateAndRenderYaml", rounds, () -> consume(
                writer.render(generator.generate(group, streams, templates, StreamsOptions.allStreams()))));
    }

    private static void measure(String name, int rounds, Operation operation) throws StrataException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bestCpuMs = Double.MAX_VALUE;
        double bestWallMs = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                operation.run();
            }
            // The first rounds warm the JIT; report the best steady round.
            bestCpuMs = Math.min(bestCpuMs, (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / OPS_PER_ROUND);
            bestWallMs = Math.min(bestWallMs, (System.nanoTime() - wall0) / 1e6 / OPS_PER_ROUND);
        }
        System.out.printf("%-22s %d streams: %7.1f ms/op by thread CPU time, %7.1f ms/op by wall time (best of %d rounds of %d)%n",
                name, STREAMS, bestCpuMs, bestWallMs, rounds, OPS_PER_ROUND);
    }

    // Keeps the result observable so the JIT cannot drop the work.
    private static volatile int sink;

    private static void consume(GeneratedObjects objects) {
        sink += objects.buildConfigs().size();
    }

    private static void consume(String yaml) {
        sink += yaml.length();
    }
}
