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
import java.io.OutputStream;
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
import java.util.Random;

/**
 * A copy-heavy build and push three ways, side by side in one run, rotating the order each round:
 * <ul>
 * <li>buildah: {@code buildah bud --layers} + {@code buildah push} of a Dockerfile that copies a
 *     directory onto a base image (overlay storage, the base already pulled);</li>
 * <li>Strata's direct assembly ({@link DirectAssembly}, in this process: JVM start excluded): the
 *     layer written, compressed on every core and uploaded in one pass, the base layers mounted, the
 *     config and manifest stored;</li>
 * <li>the limit: {@code tar -cf - data | pigz -6 | tee | sha256sum} (one pipe, every core) plus the
 *     upload of the compressed file to the same registry (one streamed PATCH, from the page cache).</li>
 * </ul>
 * A nonce file in the copied directory changes every build, so no side reuses a layer. Besides wall
 * time, each case's CPU time (user + system: buildah's and the pipe's processes by /usr/bin/time,
 * this JVM's own by its process CPU time; the registry's, the same for all, not counted) shows the
 * work apart from how busy the machine is. Then, with
 * {@code growth} file counts, the same build of 2 KB files by buildah and by Strata: the cost growth.
 *
 * <p>Usage: {@code AssemblyBench [files] [megabytes] [rounds] [growth,counts] [overlay|vfs]}; prints Markdown.
 */
public final class AssemblyBench {
    private final Path work;
    private final RegistryFixture registry;
    private final RegistryClient client;
    private final List<String> storage;
    private final String pinnedBase;
    private int serial;

    private AssemblyBench(Path work, RegistryFixture registry, RegistryClient client, List<String> storage,
            String pinnedBase) {
        this.work = work;
        this.registry = registry;
        this.client = client;
        this.storage = storage;
        this.pinnedBase = pinnedBase;
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Integer> growth = new ArrayList<>();
        if (args.length > 3 && !args[3].isBlank() && !args[3].equals("-")) {
            for (String count : args[3].split(",")) {
                growth.add(Integer.parseInt(count.trim()));
            }
        }
        String driver = args.length > 4 ? args[4] : "overlay";
        Path work = Files.createTempDirectory("strata-assembly-bench-");
        List<String> storage = List.of("--root", work.resolve("storage/root").toString(), "--runroot",
                work.resolve("storage/run").toString(), "--storage-driver", driver);
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth();
                BuildahFixture base = BuildahFixture.create();
                RegistryClient client = new RegistryClient(RegistryClientConfig.defaults())) {
            String pinned = pinnedBusybox(registry, base, client);
            AssemblyBench bench = new AssemblyBench(work, registry, client, storage, pinned);
            bench.buildah("pull", "--tls-verify=false", pinned);
            System.out.printf(Locale.ROOT, "cores %d, rounds %d, buildah storage %s%n%n",
                    Runtime.getRuntime().availableProcessors(), rounds, driver);
            bench.run(files, megabytes, rounds, growth);
        } finally {
            try {
                exec(work, "buildah", storage, "rm", "--all");
                exec(work, "buildah", storage, "rmi", "--all", "--force");
            } finally {
                exec(work.getParent(), "rm", List.of(), "-rf", work.toString());
            }
        }
    }

    /** A busybox base image pushed to {@code registry}, as a reference pinned to its digest. */
    static String pinnedBusybox(RegistryFixture registry, BuildahFixture base, RegistryClient client) throws Exception {
        base.makeBusyboxBaseImage("bench/busybox:1", registry);
        String digest = client.manifest(ImageReference.parse(registry.reference("bench/busybox:1"))).digest();
        return registry.host() + "/bench/busybox@" + digest;
    }

    private void run(int files, int megabytes, int rounds, List<Integer> growth) throws Exception {
        Path context = generate("copy-heavy", files, (long) megabytes << 20);
        System.out.printf(Locale.ROOT, "## Copy-heavy build + push: %,d files, %d MB%n%n", files, megabytes);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<Case> cases = List.of(
                new Case("buildah bud + push", () -> buildahBuild(context)),
                new Case("Strata direct assembly + push", () -> strataBuild(context)),
                new Case("limit: tar, pigz -6, sha256sum in one pipe; upload", () -> limit(context)));
        for (Case c : cases) {
            c.timed(); // warm-up: page cache, JIT, base layers mounted once
        }
        for (int round = 0; round < rounds; round++) {
            List<Case> order = new ArrayList<>(cases);
            Collections.rotate(order, round);
            for (Case c : order) {
                times.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c.timed());
            }
        }
        double limit = median(times.get(cases.get(2).name()));
        double limitCpu = median(cpuTimes.get(cases.get(2).name()));
        System.out.println("| case | median wall (s) | runs (s) | wall / limit | median CPU (s) | CPU / limit |");
        System.out.println("|---|---|---|---|---|---|");
        for (Case c : cases) {
            double median = median(times.get(c.name()));
            double medianCpu = median(cpuTimes.get(c.name()));
            System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.2f | %.2f | %.2f |%n", c.name(), median,
                    seconds(times.get(c.name())), median / limit, medianCpu, medianCpu / limitCpu);
        }
        System.out.println();
        System.out.println("limit's parts, last run: " + lastLimitParts);
        System.out.println("Strata's layer, last run: " + lastLayerLine);

        if (!growth.isEmpty()) {
            System.out.printf(Locale.ROOT, "%n## Cost growth: build + push of a COPY of N files of 2 KB (median of %d)%n%n", rounds);
            System.out.println("| files | buildah bud + push (s) | Strata direct assembly + push (s) | buildah / Strata |");
            System.out.println("|---|---|---|---|");
            for (int count : growth) {
                Path grown = generate("growth-" + count, count, count * 2048L);
                List<Double> buildahTimes = new ArrayList<>();
                List<Double> strataTimes = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        buildahTimes.add(new Case("", () -> buildahBuild(grown)).timed());
                        strataTimes.add(new Case("", () -> strataBuild(grown)).timed());
                    } else {
                        strataTimes.add(new Case("", () -> strataBuild(grown)).timed());
                        buildahTimes.add(new Case("", () -> buildahBuild(grown)).timed());
                    }
                }
                System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f |%n", count, median(buildahTimes),
                        median(strataTimes), median(buildahTimes) / median(strataTimes));
                exec(work, "rm", List.of(), "-rf", grown.toString());
            }
        }
    }

    /** CPU seconds (user + system) of the last case: its child processes and, for in-process work, this JVM. */
    private double cpu;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, List<Double>> cpuTimes = new LinkedHashMap<>();
    private String lastLimitParts = "";
    private String lastLayerLine = "";

    private interface Action {
        void run() throws Exception;
    }

    private final class Case {
        private final String name;
        private final Action action;

        Case(String name, Action action) {
            this.name = name;
            this.action = action;
        }

        String name() {
            return name;
        }

        double timed() throws Exception {
            cpu = 0;
            long start = System.nanoTime();
            action.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            cpuTimes.computeIfAbsent(name, k -> new ArrayList<>()).add(cpu);
            return seconds;
        }
    }

    private void nonce(Path context) throws IOException {
        Files.writeString(context.resolve("data/nonce.txt"), "build " + serial++ + " " + System.nanoTime() + "\n");
    }

    private void buildahBuild(Path context) throws Exception {
        nonce(context);
        String tag = "localhost/bench-buildah:" + serial;
        buildah("bud", "--isolation", "chroot", "--layers", "--pull=never", "--tag", tag, context.toString());
        buildah("push", "--tls-verify=false", tag, "docker://" + registry.reference("bench/buildah:" + serial));
        buildah("rmi", tag);
    }

    private void strataBuild(Path context) throws Exception {
        nonce(context);
        long cpuStart = OS.getProcessCpuTime();
        ImageReference target = ImageReference.parse(registry.host() + "/bench/strata");
        String dockerfile = Files.readString(context.resolve("Dockerfile"));
        AssembledImage image = new DirectAssembly(client).assemble(Dockerfile.parse(dockerfile), Map.of(), context, target,
                Platform.linux("amd64"), Instant.now(), line -> {
                    if (line.startsWith("layer ")) {
                        lastLayerLine = line;
                    }
                }).orElseThrow(() -> new IllegalStateException("the bench Dockerfile was not assembled"));
        client.blobs().putManifest(target, "build-" + serial, image.mediaType(), image.manifest());
        cpu += (OS.getProcessCpuTime() - cpuStart) / 1e9;
    }

    private void limit(Path context) throws Exception {
        nonce(context);
        Path compressed = work.resolve("limit.tar.gz");
        long start = System.nanoTime();
        String output = exec(context, "/usr/bin/time", List.of("-f", "%U %S", "bash", "-c", "set -o pipefail; tar -cf - data"
                + " | pigz -6 | tee " + compressed + " | sha256sum"));
        String sha = output.strip().lines().filter(line -> line.matches("[0-9a-f]{64} .*")).findFirst().orElseThrow()
                .split(" ")[0];
        cpu += timedChild(output);
        double pipe = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        long cpuStart = OS.getProcessCpuTime();
        try (InputStream in = Files.newInputStream(compressed)) {
            client.blobs().upload(ImageReference.parse(registry.host() + "/bench/limit"), in, () -> "sha256:" + sha);
        }
        cpu += (OS.getProcessCpuTime() - cpuStart) / 1e9;
        double upload = (System.nanoTime() - start) / 1e9;
        lastLimitParts = String.format(Locale.ROOT, "pipe %.2f s, upload %.2f s (%.1f MB compressed)", pipe, upload,
                Files.size(compressed) / 1048576.0);
        Files.delete(compressed);
    }

    private void buildah(String... args) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-f", "%U %S", "buildah"));
        arguments.addAll(storage);
        cpu += timedChild(exec(work, "/usr/bin/time", arguments, args));
    }

    /** The user and system seconds /usr/bin/time printed last. */
    private static double timedChild(String output) {
        List<String> lines = output.strip().lines().toList();
        String[] parts = lines.getLast().trim().split(" ");
        return Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
    }

    /** {@link CopyHeavyFiles} under data/, and the Dockerfile. */
    private Path generate(String name, int files, long bytes) throws IOException {
        Path context = work.resolve(name);
        Files.createDirectories(context.resolve("data"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + pinnedBase + "\nCOPY data/ /data/\n");
        CopyHeavyFiles.write(context.resolve("data"), files, bytes);
        return context;
    }

    private static String exec(Path dir, String program, List<String> before, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(before);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String seconds(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
