package io.strata.cli.build;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Work a local build does in the first second of a fresh JVM that depends on nothing the command line says,
 * started on a thread of its own as soon as the command is known to be a build, so that it runs while the
 * main thread builds the command's model, reads the configuration and checks the request and plan:
 * <ul>
 *   <li>the JDK's default TLS context (the registry client's HTTP client makes one whatever the registry's
 *       scheme; it reads and parses the trust store),
 *   <li>the SQLite driver's native library (the store's first connection loads it),
 *   <li>JGit's look for git's system configuration (it runs {@code git --version} and {@code git config
 *       --system}, once per process, when the first repository is opened).
 * </ul>
 * Each is done once per process and shared, so the real use later finds it done (or, still running,
 * waits for it: none of the three runs twice). A failure here is ignored: the real use meets it again and
 * reports it with its context. The thread is a daemon, so it never holds the command's exit.
 */
public final class StartupWarmUp {
    private StartupWarmUp() {}

    /**
     * For a build in this process ({@code strata build}, {@code strata demo}); not for one handed to a build
     * service by {@code --server} or {@code STRATA_SERVER}, which opens no store and checks nothing out.
     */
    public static boolean wanted(io.strata.cli.StrataEnvironment environment, String... args) {
        if (args.length == 0 || !(args[0].equals("build") || args[0].equals("demo"))) {
            return false;
        }
        return environment.variable("STRATA_SERVER").isEmpty()
                && java.util.Arrays.stream(args).noneMatch(arg -> arg.equals("--server") || arg.startsWith("--server="));
    }

    /** Starts the warm-up in the background; returns at once. */
    public static void begin() {
        Thread thread = new Thread(StartupWarmUp::run, "strata-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Does the warm-up on this thread; returns what of it succeeded (for the test that holds the names below). */
    static List<String> run() {
        List<String> done = new ArrayList<>();
        attempt(done, "tls", () -> javax.net.ssl.SSLContext.getDefault());
        // By name: the command line does not depend on these libraries itself (strata-local and strata-worker do).
        attempt(done, "sqlite", () -> Class.forName("org.sqlite.SQLiteJDBCLoader").getMethod("initialize").invoke(null));
        attempt(done, "git", () -> {
            Object fs = Class.forName("org.eclipse.jgit.util.FS").getField("DETECTED").get(null);
            return fs.getClass().getMethod("getGitSystemConfig").invoke(fs);
        });
        return done;
    }

    private static void attempt(List<String> done, String name, Callable<?> work) {
        try {
            work.call();
            done.add(name);
        } catch (Exception | LinkageError e) {
            // Ignored on purpose: the build meets the same failure where it can say what it means.
        }
    }
}
