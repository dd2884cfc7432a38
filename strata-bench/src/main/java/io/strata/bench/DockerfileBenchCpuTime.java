package io.strata.bench;

import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Companion to {@link DockerfileBench} for shared machines: measures parse, parse+inspect and edit by the
 * CPU time of the measuring thread as well as by wall time, so a busy host does not hide the
 * single-core speed. Run: {@code java -cp ... io.strata.bench.DockerfileBenchCpuTime [rounds]}.
 */
public final class DockerfileBenchCpuTime {
    private DockerfileBenchCpuTime() {}

    public static void main(String[] args) throws DockerfileException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String text = DockerfileBenchInput.generate(DockerfileBench.INSTRUCTIONS, 42L);
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String mode : new String[] {"parse", "parseAndInspect"}) {
            double bestCpu = 0;
            double bestWall = 0;
            for (int round = 0; round < rounds; round++) {
                int ops = 50;
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    Dockerfile d = Dockerfile.parse(text);
                    if (mode.equals("parseAndInspect")) {
                        d.parentImages();
                        d.labels();
                        d.envs();
                        d.args();
                    }
                }
                double cpu = mb * ops / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
                double wall = mb * ops / ((System.nanoTime() - wall0) / 1e9);
                // The first rounds warm the JIT; report the best steady round.
                bestCpu = Math.max(bestCpu, cpu);
                bestWall = Math.max(bestWall, wall);
            }
            System.out.printf("%-16s %.3f MB input: %6.1f MB/s by thread CPU time, %6.1f MB/s by wall time (best of %d rounds)%n",
                    mode, mb, bestCpu, bestWall, rounds);
        }
        edits(Dockerfile.parse(text), rounds, threads);
    }

    /** {@link DockerfileBench#edit}'s three edits (each re-parses the whole file), by CPU time. */
    private static void edits(Dockerfile parsed, int rounds, ThreadMXBean threads) {
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            int ops = 20;
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                parsed.withLabel("com.example.component", "edited").withLabel("com.example.release", "1")
                        .withBaseImage("registry.example.com/ubi9/ubi:9.5");
            }
            best = Math.max(best, ops / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9));
        }
        System.out.printf("edit (3 edits)   %6.1f ops/s by thread CPU time (best of %d rounds)%n", best, rounds);
    }
}
