package io.strata.bench;

import io.strata.worker.git.GitCheckout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Strata's checkout side by side with git's, in one run, on a generated copy-heavy repository
 * (packed, as a server keeps it; half the files compressible text, half random bytes):
 * <ul>
 * <li>cold: {@code git clone --no-local}, {@code git clone --depth 1 file://} and Strata's checkout
 *     with an empty cache ({@link GitCheckout}, in this process: JVM start excluded), in rotating
 *     order, medians;</li>
 * <li>repeat build: the same repository at a new commit with one changed file, the cache warm,
 *     against git's own best case ({@code git fetch --depth 1} + {@code git checkout} in a kept clone);</li>
 * <li>cost growth: cold checkouts of repositories of {@code growth} file counts (2 KB files).</li>
 * </ul>
 *
 * <p>Usage: {@code CheckoutBench [files] [megabytes] [rounds] [growth,counts]}; prints Markdown.
 */
public final class CheckoutBench {
    private final Path work;
    private int serial;
    /** Strata's own summary lines (fetch, file writing) of its last checkout, to show where the time went. */
    private final List<String> lastSummary = new java.util.concurrent.CopyOnWriteArrayList<>();

    private CheckoutBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Integer> growth = new ArrayList<>();
        if (args.length > 3 && !args[3].isBlank() && !args[3].equals("-")) {
            for (String count : args[3].split(",")) {
                growth.add(Integer.parseInt(count.trim()));
            }
        }
        Path work = Files.createTempDirectory("strata-checkout-bench-");
        try {
            new CheckoutBench(work).run(files, megabytes, rounds, growth);
        } finally {
            exec(work.getParent(), "rm", "-rf", work.toString());
        }
    }

    private void run(int files, int megabytes, int rounds, List<Integer> growth) throws Exception {
        System.out.printf(Locale.ROOT, "cores %d, rounds %d%n%n", Runtime.getRuntime().availableProcessors(), rounds);
        Path repo = generate("copy-heavy", files, (long) megabytes << 20);
        System.out.printf(Locale.ROOT, "## Cold checkout: %,d files, %d MB (pack %.1f MB)%n%n", files, megabytes, packMb(repo));
        Map<String, Double> cold = cold(repo, rounds);
        printTable(cold);

        System.out.printf(Locale.ROOT, "%n## Repeat build: the same repository at a new commit, one file changed%n%n");
        printTable(repeat(repo, rounds));

        if (!growth.isEmpty()) {
            System.out.printf(Locale.ROOT, "%n## Cost growth (2 KB files, cold, median of %d)%n%n", rounds);
            System.out.println("| files | git clone --no-local (s) | git clone --depth 1 (s) | Strata cold (s) | Strata / clone |");
            System.out.println("|---|---|---|---|---|");
            for (int count : growth) {
                Path grown = generate("growth-" + count, count, count * 2048L);
                Map<String, Double> times = cold(grown, rounds);
                double clone = times.get("git clone --no-local");
                double strata = times.get("Strata, empty cache");
                System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f | %.2f |%n", count, clone,
                        times.get("git clone --depth 1 file://"), strata, strata / clone);
                exec(work, "rm", "-rf", grown.toString());
            }
        }
    }

    private Map<String, Double> cold(Path repo, int rounds) throws Exception {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<Case> cases = List.of(
                new Case("git clone --no-local", dest -> git(work, "clone", "-q", "--no-local", repo.toString(), dest.toString())),
                new Case("git clone --depth 1 file://", dest -> git(work, "clone", "-q", "--depth", "1",
                        repo.toUri().toString(), dest.toString())),
                new Case("Strata, empty cache", dest -> strata(repo, dest, dest.resolveSibling(dest.getFileName() + "-cache"))));
        // One untimed run of each: file cache warm, JIT warm.
        for (Case c : cases) {
            time(c);
        }
        for (int round = 0; round < rounds; round++) {
            List<Case> order = new ArrayList<>(cases);
            Collections.rotate(order, round);
            for (Case c : order) {
                times.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(time(c));
            }
        }
        System.out.println("Strata's last run: " + String.join("; ", lastSummary));
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Case c : cases) {
            medians.put(c.name(), median(times.get(c.name())));
        }
        return medians;
    }

    private Map<String, Double> repeat(Path repo, int rounds) throws Exception {
        Path cache = work.resolve("repeat-cache");
        Path kept = work.resolve("repeat-clone");
        new GitCheckout(repo.toUri(), "main", work.resolve("repeat-first"), cache).call();
        git(work, "clone", "-q", "--depth", "1", repo.toUri().toString(), kept.toString());
        List<Double> strata = new ArrayList<>();
        List<Double> gitSide = new ArrayList<>();
        List<Double> spare = new ArrayList<>();
        GitCheckout.awaitBackgroundWork();
        for (int round = 0; round <= rounds; round++) {
            Files.writeString(repo.resolve("changed.txt"), "change " + round + "\n");
            git(repo, "add", "changed.txt");
            git(repo, "commit", "-q", "-m", "change " + round);
            Path dest = work.resolve("repeat-" + round);
            long start = System.nanoTime();
            strata(repo, dest, cache);
            double strataSeconds = (System.nanoTime() - start) / 1e9;
            // The spare copy for the next build is made in the background (while a build would run
            // buildah); timed apart, and finished before git's side runs so it does not slow it.
            start = System.nanoTime();
            GitCheckout.awaitBackgroundWork();
            double spareSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            git(kept, "fetch", "-q", "--depth", "1", "origin", "main");
            git(kept, "checkout", "-q", "--detach", "FETCH_HEAD");
            double gitSeconds = (System.nanoTime() - start) / 1e9;
            exec(work, "rm", "-rf", dest.toString());
            if (round > 0) { // round 0 warms up
                strata.add(strataSeconds);
                gitSide.add(gitSeconds);
                spare.add(spareSeconds);
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        System.out.println("Strata's last run: " + String.join("; ", lastSummary));
        medians.put("git fetch --depth 1 + git checkout, in a kept clone", median(gitSide));
        medians.put("Strata, warm cache, fresh workspace", median(strata));
        System.out.printf(Locale.ROOT, "The spare copy made in the background after each of Strata's checkouts: median %.2f s "
                + "(waited for after the checkout was timed)%n", median(spare));
        return medians;
    }

    private void strata(Path repo, Path dest, Path cache) throws Exception {
        lastSummary.clear();
        new GitCheckout(repo.toUri(), "main", dest, cache).progress(line -> {
            if (line.startsWith("Fetched") || line.startsWith("Listed") || line.startsWith("Writing files: done")
                    || line.startsWith("Linked") || line.startsWith("Updated") || line.startsWith("Took") || line.contains("nothing to fetch")) {
                lastSummary.add(line);
            }
        }).call();
    }

    private double time(Case c) throws Exception {
        Path dest = work.resolve("dest-" + serial++);
        long start = System.nanoTime();
        c.run().accept(dest);
        double seconds = (System.nanoTime() - start) / 1e9;
        GitCheckout.awaitBackgroundWork(); // Strata's spare copy, before the cache is removed
        exec(work, "rm", "-rf", dest.toString(), dest + "-cache");
        return seconds;
    }

    /** {@link CopyHeavyFiles}, committed and packed. */
    private Path generate(String name, int files, long bytes) throws Exception {
        Path repo = work.resolve(name);
        Files.createDirectories(repo);
        git(repo, "init", "-q", "-b", "main");
        CopyHeavyFiles.write(repo, files, bytes);
        Files.writeString(repo.resolve("Dockerfile"), "FROM scratch\nCOPY . /data\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "generated");
        git(repo, "repack", "-a", "-d", "-q");
        git(repo, "prune");
        return repo;
    }

    private static double packMb(Path repo) throws IOException {
        try (var packs = Files.list(repo.resolve(".git/objects/pack"))) {
            return packs.mapToLong(p -> p.toFile().length()).sum() / 1048576.0;
        }
    }

    private static void printTable(Map<String, Double> medians) {
        double first = medians.values().iterator().next();
        System.out.println("| case | median (s) | / first row |");
        System.out.println("|---|---|---|");
        medians.forEach((name, seconds) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, seconds, seconds / first));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=bench@strata.invalid",
                "-c", "gc.auto=0", "-c", "commit.gpgSign=false"));
        command.addAll(List.of(args));
        exec(dir, command.toArray(String[]::new));
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private interface Checkout {
        void accept(Path dest) throws Exception;
    }

    private record Case(String name, Checkout run) {}
}
