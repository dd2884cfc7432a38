package io.strata.worker.git;

import org.eclipse.jgit.storage.file.WindowCacheConfig;

/**
 * How JGit reads pack files in this process, set once before the first checkout.
 *
 * <p>JGit's defaults (8 KiB windows read with {@code seek} + {@code read}, 10 MB of them at most)
 * suit an IDE, not a checkout whose writer threads read a 170 MB pack in tree order: a JFR profile
 * of the copy-heavy cold checkout (docs/benchmarks.md, "Checkout") showed the threads evicting each
 * other's windows and seeking for most of their Java time. Memory-mapped windows of 1 MiB, up to
 * 512 MiB of address space, cost no heap (the pages are the file cache's, which the kernel may
 * drop) and turn those reads into memory reads. The limit is on mappings, not on memory in use.
 */
final class PackWindows {
    private static final int WINDOW = 1 << 20;
    private static final long LIMIT = 512L << 20;

    private PackWindows() {}

    /** Installs the configuration; JGit's cache is process-wide, so the class initialiser does it once. */
    static void configure() {
        Holder.INSTALLED.hashCode();
    }

    private static final class Holder {
        static final Object INSTALLED = install();

        private static Object install() {
            WindowCacheConfig config = new WindowCacheConfig();
            config.setPackedGitMMAP(true);
            config.setPackedGitWindowSize(WINDOW);
            config.setPackedGitLimit(LIMIT);
            config.install();
            return config;
        }
    }
}
