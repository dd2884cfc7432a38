package io.strata.bench;

import io.strata.core.build.BuildState;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.ConfigSource;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataSettings;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import io.strata.core.service.Caller;
import io.strata.core.store.BuildQuery;
import io.strata.core.store.BuildSummary;
import io.strata.local.worker.LocalServices;
import io.strata.testkit.PostgresFixture;
import io.strata.worker.buildah.BuildahOptions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds per second through every state with the dry-run engine (strata_dry_run_delay = 0) on the
 * embedded store or on PostgreSQL (started by the fixture), and the heap with 1,000 queued builds.
 * Not a test: a measurement (bench/queue.sh, docs/benchmarks.md). Phases, each timed:
 * <ol>
 *   <li>submit N builds through the build service (validation, plan, record, queue row) from
 *       {@code submitters} virtual threads, no scheduler running: NEW to PENDING;</li>
 *   <li>the heap after a full GC with the first 1,000 of them queued (measured before the rest are
 *       submitted);</li>
 *   <li>start the scheduler and wait until every build is COMPLETE: PENDING, RUNNING, COMPLETE with
 *       the dry-run engine's step log lines and timings.</li>
 * </ol>
 * Usage: QueueThroughputBench sqlite|postgres [builds] [strata_concurrency] [submitters] [warm-up builds] [same|distinct]
 * (the warm-up, 0 unless given, runs that many builds first on a store of its own, unreported;
 * {@code distinct} gives every build a component and a label of its own, so no build's plan or
 * request is one the service has seen: the service's plan memo and the engine's are missed every time)
 */
public final class QueueThroughputBench {
    private QueueThroughputBench() {}

    /** Every build unlike the others (see the usage). */
    private static boolean distinct;

    public static void main(String[] args) throws Exception {
        String storeKind = args.length > 0 ? args[0] : "sqlite";
        int builds = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int submitters = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        distinct = args.length > 5 && args[5].equals("distinct");
        if (warmup > 0) {
            // The same run on a store of its own, not reported: its only effect is a JIT-compiled
            // JVM, as a service has after its first minutes (the steady state, not start-up).
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                measure(storeKind, warmup, concurrency, submitters);
            } finally {
                System.setOut(out);
            }
            System.out.printf("(after a warm-up of %d builds on another store in this JVM)%n", warmup);
        }
        measure(storeKind, builds, concurrency, submitters);
    }

    private static void measure(String storeKind, int builds, int concurrency, int submitters) throws Exception {
        Path home = Files.createTempDirectory("strata-queue-bench-");
        PostgresFixture postgres = storeKind.equals("postgres") ? PostgresFixture.start() : null;
        try {
            Map<String, String> variables = new HashMap<>(Map.of("STRATA_HOME", home.toString(), "STRATA_ENGINE", "dry-run",
                    "STRATA_DRY_RUN_DELAY", "0ms", "STRATA_CONCURRENCY", Integer.toString(concurrency),
                    "STRATA_QUEUE_MAX_PENDING", Integer.toString(builds + 1)));
            variables.put("STRATA_STORE_URL", postgres == null ? StrataSettings.embeddedStoreUrl(home)
                    : postgres.jdbcUrl() + "?user=" + postgres.user() + "&password=" + postgres.password());
            Configuration config = ConfigLoader.load(new ConfigSource(Optional.empty(), Optional.empty(), Map.of(),
                    variables, home.resolve("no-osbs.conf"), home)).config();
            run(storeKind, config, builds, concurrency, submitters);
        } finally {
            if (postgres != null) {
                postgres.stop();
            }
            try (var paths = Files.walk(home)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void run(String storeKind, Configuration config, int builds, int concurrency, int submitters)
            throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        BuildSubmission submission = BuildSubmission.of(BuildRequest.builder().component("hello")
                .gitUri("https://git.example.com/hello.git").gitRef("main").build());
        Caller caller = Caller.admin("bench");
        try (LocalServices services = LocalServices.open(config, BuildahOptions.systemDefault(), quiet)) {
            java.util.concurrent.atomic.LongAdder submitWrites = new java.util.concurrent.atomic.LongAdder();
            store(services).observeLatency((write, nanos, failed) -> {
                if (write) {
                    submitWrites.increment();
                }
            });
            long heapAt1000 = -1;
            long submitCpuBefore = processCpuNanos();
            long submitCommitsBefore = ((io.strata.local.store.JdbcBuildStore) services.store()).sharedCommits();
            long start = System.nanoTime();
            int first = Math.min(1000, builds);
            submit(services, submission, caller, first, submitters);
            long firstNanos = System.nanoTime() - start;
            if (first == 1000) {
                heapAt1000 = usedHeapAfterGc();
            }
            long restStart = System.nanoTime();
            submit(services, submission, caller, builds - first, submitters);
            double submitSeconds = (firstNanos + System.nanoTime() - restStart) / 1e9;
            // The heap measurement's GCs fall in this span too; they are a few milliseconds.
            double submitCpuSeconds = (processCpuNanos() - submitCpuBefore) / 1e9;
            long submitCommits = ((io.strata.local.store.JdbcBuildStore) services.store()).sharedCommits() - submitCommitsBefore;

            java.util.concurrent.atomic.LongAdder writes = new java.util.concurrent.atomic.LongAdder();
            Map<String, java.util.concurrent.atomic.LongAdder> byThread = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();
            java.util.concurrent.atomic.LongAdder writeNanos = new java.util.concurrent.atomic.LongAdder();
            if (services.store() instanceof io.strata.local.store.JdbcBuildStore jdbc) {
                jdbc.observeLatency((write, nanos, failed) -> {
                    if (write) {
                        byThread.computeIfAbsent(Thread.currentThread().getName().replaceAll("[-0-9a-f]{10,}$", ""),
                                k -> new java.util.concurrent.atomic.LongAdder()).increment();
                    }
                    (write ? writes : reads).increment();
                    if (write) {
                        writeNanos.add(nanos);
                    }
                });
            }
            io.strata.local.store.JdbcBuildStore store = (io.strata.local.store.JdbcBuildStore) services.store();
            long commitsBefore = store.sharedCommits();
            long cpuBefore = processCpuNanos();
            long runStart = System.nanoTime();
            java.util.concurrent.atomic.LongAdder ended = new java.util.concurrent.atomic.LongAdder();
            services.startScheduler().onBuildEnd((entry, state, failure, ran) -> ended.increment());
            // Builds ended as the scheduler tells, not the store's counts: reading those 50 times a
            // second was 5% of the run's CPU, the benchmark's own load. The store is asked once a
            // second too, in case a build ended before the listener was in place.
            for (int polls = 1; ended.sum() < builds; polls++) {
                Thread.sleep(20);
                if (polls % 50 == 0 && store.queueCounts().stream().noneMatch(c -> c.pending() + c.running() > 0)) {
                    break;
                }
            }
            double runSeconds = (System.nanoTime() - runStart) / 1e9;
            double runCpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
            long runCommits = store.sharedCommits() - commitsBefore;
            int complete = countComplete(services);
            System.out.printf("%s: %d builds%s, strata_concurrency %d, %d submitters%n", storeKind, builds,
                    distinct ? " (each with a component and a label of its own)" : " (all alike)", concurrency, submitters);
            System.out.printf("  submit (NEW -> PENDING):                %6.2f s  %7.1f builds/s%n", submitSeconds, builds / submitSeconds);
            System.out.printf("  run (PENDING -> RUNNING -> COMPLETE):   %6.2f s  %7.1f builds/s%n", runSeconds, builds / runSeconds);
            System.out.printf("  through all states (submit + run):      %6.2f s  %7.1f builds/s%n", submitSeconds + runSeconds,
                    builds / (submitSeconds + runSeconds));
            System.out.printf("  COMPLETE: %d of %d%n", complete, builds);
            byThread.forEach((thread, count) -> System.out.printf("  writes from %s: %.1f per build%n", thread,
                    count.sum() / (double) builds));
            System.out.printf("  run phase: %.1f write and %.1f read transactions per build, %.1f ms per write transaction%n",
                    writes.sum() / (double) builds, reads.sum() / (double) builds, writeNanos.sum() / 1e6 / Math.max(1, writes.sum()));
            System.out.printf("  CPU (this process, all threads): submit %.2f ms per build, run %.2f ms per build"
                    + " (%.1f builds/s per core)%n", submitCpuSeconds * 1e3 / builds, runCpuSeconds * 1e3 / builds,
                    builds / (submitCpuSeconds + runCpuSeconds));
            if (submitCommits + runCommits > 0) {
                System.out.printf("  group commit: submit %d commits (%.1f writes each), run %d commits (%.1f writes each)%n",
                        submitCommits, submitWrites.sum() / (double) submitCommits, runCommits, writes.sum() / (double) runCommits);
            }
            System.out.printf("  load average during the run: %.1f on %d CPUs%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            if (heapAt1000 >= 0) {
                System.out.printf("  heap used after GC with 1,000 builds queued: %.1f MB (max heap %.0f MB)%n",
                        heapAt1000 / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong UNIQUE = new java.util.concurrent.atomic.AtomicLong();

    private static void submit(LocalServices services, BuildSubmission submission, Caller caller, int count, int submitters)
            throws Exception {
        if (count == 0) {
            return;
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(submitters, Thread.ofVirtual().factory())) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BuildSubmission one = distinct ? BuildSubmission.of(submission.request().toBuilder()
                        .component("hello-" + UNIQUE.incrementAndGet()).labels(Map.of("bench-build", Integer.toString(i))).build())
                        : submission;
                done.add(threads.submit(() -> services.builds().submit(one, caller)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    private static io.strata.local.store.JdbcBuildStore store(LocalServices services) {
        return (io.strata.local.store.JdbcBuildStore) services.store();
    }

    private static int countComplete(LocalServices services) throws Exception {
        int complete = 0;
        Optional<io.strata.core.build.BuildId> after = Optional.empty();
        while (true) {
            List<BuildSummary> page = services.store().list(new BuildQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), after, 1000));
            if (page.isEmpty()) {
                return complete;
            }
            complete += (int) page.stream().filter(b -> b.state() == BuildState.COMPLETE).count();
            after = Optional.of(page.getLast().id());
        }
    }

    /** CPU time of this process, every thread, JIT and GC included. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
