package io.strata.local.ops;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.store.StoreException;
import io.strata.core.config.Configuration;
import io.strata.core.config.StrataEngine;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.worker.LocalServices;
import io.strata.local.store.PrunedRecords;
import io.strata.worker.buildah.BuildahException;
import io.strata.worker.buildah.StrataImages;
import io.strata.worker.git.Workspace;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Fedora runbook's clean-up, built in ({@code strata prune-builds}, and {@code strata serve} on
 * a schedule): finished builds older than the cut-off lose their records and logs (release
 * reservations stay, so no release is handed out twice), their workspaces and secret files under
 * the Strata home, and the images they left in buildah's storage, unless a container still uses
 * one. Workspaces and secret files of builds the store no longer knows (pruned before, or left by a
 * crash) go too once older than the cut-off. Running and waiting builds are never touched.
 */
public final class BuildPruner {
    /** Builds deleted per transaction: a large prune never holds the store's write lock for long. */
    static final int BATCH = 200;

    private final JdbcBuildStore store;
    private final Path home;
    private final Optional<StrataImages> images;
    private final Clock clock;
    private final PrintStream diagnostics;

    /** @param images buildah's storage to prune images from; empty where no builds run through buildah (dry-run) */
    public BuildPruner(JdbcBuildStore store, Path home, Optional<StrataImages> images, Clock clock, PrintStream diagnostics) {
        this.store = store;
        this.home = home;
        this.images = images;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    /** The pruner of this configuration's Strata home; buildah's images too where builds run on the local engine. */
    public static BuildPruner of(JdbcBuildStore store, Configuration config, PrintStream diagnostics) {
        Optional<StrataImages> images = config.strata().engine() == StrataEngine.LOCAL
                ? Optional.of(new StrataImages(LocalServices.buildahOptions(config)))
                : Optional.empty();
        return new BuildPruner(store, config.strata().home(), images, Clock.systemUTC(), diagnostics);
    }

    /**
     * One prune at a time in a process: {@code strata serve}'s schedule and an admin's
     * {@code POST /api/v1/prune} would otherwise walk and remove the same files at once, and each
     * report what the other freed.
     */
    private static final java.util.concurrent.locks.ReentrantLock ONE_AT_A_TIME = new java.util.concurrent.locks.ReentrantLock();

    public PruneReport prune(Duration keepYoungerThan) throws StrataException {
        ONE_AT_A_TIME.lock();
        try {
            return pruneAlone(keepYoungerThan);
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    private PruneReport pruneAlone(Duration keepYoungerThan) throws StrataException {
        Instant cutoff = clock.instant().minus(keepYoungerThan);
        Set<String> pruned = new HashSet<>();
        long lines = 0;
        long logBytes = 0;
        for (PrunedRecords batch = store.prune(cutoff, BATCH); !batch.builds().isEmpty(); batch = store.prune(cutoff, BATCH)) {
            batch.builds().forEach(id -> pruned.add(id.value()));
            lines += batch.logLines();
            logBytes += batch.logBytes();
        }
        Freed workspaces = removeLeftovers(home.resolve("workspaces"), "", pruned, cutoff);
        Freed secrets = removeLeftovers(home.resolve("secrets"), ".json", pruned, cutoff);
        int[] imageCounts = {0, 0};
        long imageBytes = images.isPresent() ? pruneImages(images.get(), pruned, imageCounts) : 0;
        return new PruneReport(cutoff, pruned.size(), lines, logBytes, workspaces.count(), workspaces.bytes(),
                secrets.count(), secrets.bytes(), imageCounts[0], imageBytes, imageCounts[1]);
    }

    private record Freed(int count, long bytes) {}

    /**
     * Entries named after a build ({@code <id>} directories, {@code <id>.json} files) of a pruned
     * build, or of a build the store does not know that are older than the cut-off.
     */
    private Freed removeLeftovers(Path directory, String suffix, Set<String> pruned, Instant cutoff) throws StoreException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return new Freed(0, 0);
        }
        int count = 0;
        long bytes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.endsWith(suffix)) {
                    continue;
                }
                String id = name.substring(0, name.length() - suffix.length());
                if (!BuildId.isValid(id) || !(pruned.contains(id) || unknownAndOld(entry, id, cutoff))) {
                    continue;
                }
                long size = sizeOf(entry);
                if (delete(entry)) {
                    count++;
                    bytes += size;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            diagnostics.println("strata: warning: could not prune all of " + directory + ": " + e.getMessage());
        }
        return new Freed(count, bytes);
    }

    private boolean unknownAndOld(Path entry, String id, Instant cutoff) throws StoreException {
        try {
            return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)
                    && store.find(new BuildId(id)).isEmpty();
        } catch (IOException gone) {
            return false;
        }
    }

    /** Removes every Strata name of the pruned builds' images; an image is freed with its last name. */
    private long pruneImages(StrataImages storage, Set<String> pruned, int[] counts) {
        try {
            Map<String, List<StrataImages.BuildImage>> byImage = new java.util.HashMap<>();
            for (StrataImages.BuildImage image : storage.list()) {
                if (pruned.contains(image.buildId()) || unknown(image.buildId())) {
                    byImage.computeIfAbsent(image.imageId(), k -> new java.util.ArrayList<>()).add(image);
                }
            }
            long bytes = 0;
            for (List<StrataImages.BuildImage> names : byImage.values()) {
                boolean all = true;
                for (StrataImages.BuildImage name : names) {
                    all &= storage.remove(name.name());
                }
                if (all) {
                    counts[0]++;
                    bytes += names.getFirst().bytes();
                } else {
                    counts[1]++;
                }
            }
            return bytes;
        } catch (BuildahException | StoreException e) {
            diagnostics.println("strata: warning: images were not pruned: " + e.getMessage());
            return 0;
        }
    }

    private boolean unknown(String buildId) throws StoreException {
        return store.find(new BuildId(buildId)).isEmpty();
    }

    private static long sizeOf(Path entry) throws IOException {
        long[] total = {0};
        Files.walkFileTree(entry, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                total[0] += attributes.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** A workspace directory as the reconciler removes one; a secret file as it is. */
    private boolean delete(Path entry) {
        try {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                Workspace.existing(entry).close();
            } else {
                Files.deleteIfExists(entry);
            }
            return true;
        } catch (IOException | IllegalArgumentException e) {
            diagnostics.println("strata: warning: could not remove " + entry + ": " + e.getMessage());
            return false;
        }
    }
}
