package io.strata.bench;

import io.strata.dockerfile.Dockerfile;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.RegistryFixture;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.assembly.DirectAssembly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Direct assembly of two builds of Strata against the compression limit, alternated in one run on
 * one registry: each round runs, in a rotating order, a fresh JVM per side (its classpath: this
 * benchmark's jar first, then that side's jars; a small warm-up assembly first so the JIT is warm,
 * then one timed assembly + push of the copy-heavy directory) and the limit
 * ({@code tar -cf - data | pigz -6 | tee FILE | sha256sum}, then the upload of FILE, timed apart and
 * added, as {@link AssemblyBench} measures it). Prints each case's median wall and CPU time (the
 * child JVM's own CPU for a side, the pipe's processes' for the limit; the registry's is left out)
 * and the load average before and after.
 *
 * <p>Usage: {@code AssemblyAbBench FILES MEGABYTES ROUNDS NAME=CLASSPATH...}; needs buildah for the
 * base image. The child mode ({@code --child HOST BASE CONTEXT WARM}) is what each side runs.
 */
public final class AssemblyAbBench {
    /** What the last side and the last limit run made, for the sizes. */
    private static String lastLayer = "";
    private static long lastLimitBytes;

    private AssemblyAbBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], args[2], Path.of(args[3]), Path.of(args[4]));
            return;
        }
        int files = Integer.parseInt(args[0]);
        int megabytes = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Map<String, String> sides = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            sides.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        Path work = Files.createTempDirectory("strata-assembly-ab-");
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                BuildahFixture base = BuildahFixture.create();
                RegistryClient client = new RegistryClient(RegistryClientConfig.defaults())) {
            String pinned = AssemblyBench.pinnedBusybox(registry, base, client);
            Path context = generate(work.resolve("heavy"), pinned, files, (long) megabytes << 20);
            Path warm = generate(work.resolve("warm"), pinned, 500, 20L << 20);
            System.out.printf(Locale.ROOT, "cores %d, %,d files, %d MB, %d rounds, load average before: %s%n",
                    Runtime.getRuntime().availableProcessors(), files, megabytes, rounds, loadAverage());
            List<String> cases = new ArrayList<>(sides.keySet());
            cases.add("limit");
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<String> order = new ArrayList<>(cases);
                Collections.rotate(order, round);
                for (String name : order) {
                    double[] wallCpu = name.equals("limit") ? limit(client, registry, context, work)
                            : side(sides.get(name), registry.host(), pinned, context, warm);
                    System.out.printf(Locale.ROOT, "round %d %s: %.2f s wall, %.2f s CPU (load %s) %s%n", round + 1, name,
                            wallCpu[0], wallCpu[1], loadAverage(), name.equals("limit")
                                    ? "pigz -6 output " + lastLimitBytes + " bytes" : lastLayer);
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(wallCpu);
                }
            }
            double limitWall = median(results.get("limit"), 0);
            double limitCpu = median(results.get("limit"), 1);
            System.out.printf(Locale.ROOT, "%nload average after: %s%n%n", loadAverage());
            System.out.println("| case | median wall (s) | runs (s) | wall / limit | median CPU (s) | CPU / limit |");
            System.out.println("|---|---:|---|---:|---:|---:|");
            for (String name : cases) {
                List<double[]> runs = results.get(name);
                System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.2f | %.2f | %.2f |%n", name, median(runs, 0),
                        String.join(", ", runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", r[0])).toList()),
                        median(runs, 0) / limitWall, median(runs, 1), median(runs, 1) / limitCpu);
            }
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
        }
    }

    /** One side in a fresh JVM: its wall and CPU time for the timed assembly, as the child printed them. */
    private static double[] side(String classpath, String host, String base, Path context, Path warm)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", classpath, AssemblyAbBench.class.getName(), "--child", host,
                base, context.toString(), warm.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("a side failed: " + output);
        }
        List<String> lines = output.strip().lines().toList();
        lines.stream().filter(line -> line.startsWith("layer ")).reduce((a, b) -> b).ifPresent(line -> lastLayer = line);
        String[] last = lines.getLast().split(" ");
        return new double[] {Double.parseDouble(last[0]), Double.parseDouble(last[1])};
    }

    private static void child(String host, String base, Path context, Path warm) throws Exception {
        try (RegistryClient client = new RegistryClient(RegistryClientConfig.defaults())) {
            assemble(client, host, warm, "warm", line -> { });
            assemble(client, host, warm, "warm2", line -> { });
            nonce(context);
            long cpu = ProcessCpu.jvm().toNanos();
            long start = System.nanoTime();
            assemble(client, host, context, "timed", System.out::println);
            double wall = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%.3f %.3f%n", wall, (ProcessCpu.jvm().toNanos() - cpu) / 1e9);
        }
    }

    private static void assemble(RegistryClient client, String host, Path context, String tag,
            java.util.function.Consumer<String> log) throws Exception {
        nonce(context);
        ImageReference target = ImageReference.parse(host + "/bench/ab");
        AssembledImage image = new DirectAssembly(client).assemble(Dockerfile.parse(Files.readString(
                context.resolve("Dockerfile"))), Map.of(), context, target, Platform.linux("amd64"), Instant.now(),
                log).orElseThrow(() -> new IllegalStateException("the bench Dockerfile was not assembled"));
        client.blobs().putManifest(target, tag, image.mediaType(), image.manifest());
    }

    private static double[] limit(RegistryClient client, RegistryFixture registry, Path context, Path work)
            throws Exception {
        nonce(context);
        Path compressed = work.resolve("limit.tar.gz");
        long start = System.nanoTime();
        Process pipe = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "bash", "-c", "set -o pipefail; tar -cf - data"
                + " | pigz -6 | tee " + compressed + " | sha256sum").directory(context.toFile())
                .redirectErrorStream(true).start();
        String output = new String(pipe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (pipe.waitFor() != 0) {
            throw new IllegalStateException("the pipe failed: " + output);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<String> lines = output.strip().lines().toList();
        String sha = lines.stream().filter(line -> line.matches("[0-9a-f]{64} .*")).findFirst().orElseThrow().split(" ")[0];
        String[] times = lines.getLast().trim().split(" ");
        double cpu = Double.parseDouble(times[0]) + Double.parseDouble(times[1]);
        long cpuStart = ProcessCpu.jvm().toNanos();
        start = System.nanoTime();
        try (InputStream in = Files.newInputStream(compressed)) {
            client.blobs().upload(ImageReference.parse(registry.host() + "/bench/limit"), in, () -> "sha256:" + sha);
        }
        wall += (System.nanoTime() - start) / 1e9;
        cpu += (ProcessCpu.jvm().toNanos() - cpuStart) / 1e9;
        lastLimitBytes = Files.size(compressed);
        Files.delete(compressed);
        return new double[] {wall, cpu};
    }

    private static Path generate(Path context, String base, int files, long bytes) throws IOException {
        Files.createDirectories(context.resolve("data"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nCOPY data/ /data/\n");
        CopyHeavyFiles.write(context.resolve("data"), files, bytes);
        return context;
    }

    private static void nonce(Path context) throws IOException {
        Files.writeString(context.resolve("data/nonce.txt"), "build " + System.nanoTime() + "\n");
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double median(List<double[]> runs, int index) {
        List<Double> sorted = runs.stream().map(r -> r[index]).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
