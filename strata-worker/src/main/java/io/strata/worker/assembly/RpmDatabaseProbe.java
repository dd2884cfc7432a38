package io.strata.worker.assembly;

import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryException;
import io.strata.worker.supply.RecentLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Whether an image in the registry certainly has no rpm database, read from its layers' tar
 * headers (small images only: reading a big one costs more than the working container it saves).
 * Listing rpms needs a working container (create, mount, rpm -qa, remove: three buildah runs);
 * busybox, distroless and scratch images have nothing to list, and this says so without one. Any
 * doubt (a large image, a binary or database path that exists in any form) answers false, and the
 * caller lists as before.
 *
 * <p>What a layer holds is remembered by its digest (a digest names its bytes, so the answer never
 * goes stale): a build reads only the layers no earlier build read, which after the first build on a
 * base image is its own top layers. {@link #learnAhead} reads the parents' layers while the builder
 * runs, so even the first build reads only its own layers after the push. A layer's paths count
 * whatever later layers delete: a deletion never turns a doubt into "none", it only costs a working
 * container.
 */
public final class RpmDatabaseProbe {
    /** Compressed bytes read at most; above that the working container is cheaper. */
    public static final long MAX_BYTES = 32L << 20;
    /** How long {@link #parentsHoldPackages} waits for a parent still being read. */
    static final java.time.Duration LEARNING_WAIT = java.time.Duration.ofSeconds(30);
    /** Layers remembered at most; beyond, the memory starts again (a long-running service sees many bases). */
    static final int MAX_REMEMBERED = 10_000;
    private static final List<String> BINARIES = List.of("usr/bin/rpm", "bin/rpm");
    private static final List<String> DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");
    private static final String DPKG_STATUS = "var/lib/dpkg/status";

    private final RegistryClient registry;
    /** Layer digest -> what it holds; a future while one thread reads it, so nobody reads a layer twice at once. */
    private final ConcurrentMap<String, CompletableFuture<Optional<LayerFacts>>> layers = new ConcurrentHashMap<>();
    /**
     * Parent reference -> its layers, once {@link #learnAhead} read them all (empty when it could
     * not, or the image was too large to read); digest-pinned references only, which never name
     * other layers.
     */
    private final ConcurrentMap<String, CompletableFuture<List<Descriptor>>> parentLayers = new ConcurrentHashMap<>();

    /** Layers read, kept a moment for attach_sbom, which reads the same ones next. */
    private final RecentLayers recent;

    public RpmDatabaseProbe(RegistryClient registry) {
        this(registry, new RecentLayers());
    }

    /** {@code recent}: where the layers read are kept for the next reader (attach_sbom lists the same layers' files). */
    public RpmDatabaseProbe(RegistryClient registry, RecentLayers recent) {
        this.registry = registry;
        this.recent = recent;
    }

    /** What one layer holds of the paths looked for. */
    record LayerFacts(boolean binary, boolean database, boolean dpkg) {
        static final LayerFacts NOTHING = new LayerFacts(false, false, false);

        LayerFacts and(LayerFacts above) {
            return new LayerFacts(binary || above.binary, database || above.database, dpkg || above.dpkg);
        }

        /** True when an image of these layers has no rpm (binary and database) and no dpkg status file. */
        boolean nothingToList() {
            return !(binary && database) && !dpkg;
        }
    }

    /**
     * True only when {@code image}'s layers hold no rpm binary or no rpm database directory, and no
     * dpkg status file (attach_sbom lists dpkg packages from the same working container).
     */
    public boolean certainlyNone(ImageReference image, Platform platform) throws RegistryException {
        ImageManifest manifest = registry.manifest(image, platform);
        long unread = manifest.layers().stream().filter(layer -> !layers.containsKey(layer.digest()))
                .mapToLong(Descriptor::size).sum();
        if (unread > MAX_BYTES) {
            return false;
        }
        LayerFacts all = LayerFacts.NOTHING;
        for (Descriptor layer : manifest.layers()) {
            Optional<LayerFacts> facts = facts(image, layer);
            if (facts.isEmpty()) {
                return false;
            }
            all = all.and(facts.get());
        }
        return all.nothingToList();
    }

    /**
     * Starts reading the layers of {@code images} (digest-pinned references, the build's parents)
     * on a virtual thread of its own and returns at once; best effort: whatever fails there is read
     * again, or doubted, when {@link #certainlyNone} needs it. A parent read before (by this
     * process) is not read again.
     */
    public void learnAhead(Collection<String> images, Platform platform) {
        List<Parent> unread = new java.util.ArrayList<>();
        for (String reference : images) {
            CompletableFuture<List<Descriptor>> mine = new CompletableFuture<>();
            if (reference.contains("@") && parentLayers.size() < MAX_REMEMBERED
                    && parentLayers.putIfAbsent(reference, mine) == null) {
                unread.add(new Parent(reference, mine));
            }
        }
        if (unread.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("strata-layer-probe").start(() -> unread.forEach(parent -> {
            try {
                parent.layers().complete(read(parent.reference(), platform));
            } finally {
                // Whatever happened, nobody may wait for this parent forever.
                parent.layers().complete(List.of());
            }
        }));
    }

    private record Parent(String reference, CompletableFuture<List<Descriptor>> layers) {}

    /** The layers of {@code reference}, each one's facts known; empty when it cannot be read (or is too large to). */
    private List<Descriptor> read(String reference, Platform platform) {
        try {
            ImageReference image = ImageReference.parse(reference);
            ImageManifest manifest = registry.manifest(image, platform);
            if (manifest.layers().stream().mapToLong(Descriptor::size).sum() > MAX_BYTES) {
                return List.of();
            }
            for (Descriptor layer : manifest.layers()) {
                if (facts(image, layer).isEmpty()) {
                    return List.of();
                }
            }
            return manifest.layers();
        } catch (RegistryException | RuntimeException e) {
            // Only a head start: certainlyNone reads (or doubts) what is missing.
            return List.of();
        }
    }

    /**
     * True when {@code parents} (as given to {@link #learnAhead}, which this waits for, at most
     * {@link #LEARNING_WAIT}) hold an rpm database or a dpkg status file: an image built on them
     * almost surely has packages to list, so listing them may start before the push. A parent that
     * was not, or could not, or not yet be read answers false (and a cancel, which stays set).
     */
    public boolean parentsHoldPackages(Collection<String> parents) {
        return learnt(parents).map(learnt -> !learnt.facts().nothingToList()).orElse(false);
    }

    /**
     * Whether an image of {@code parents} (as given to {@link #learnAhead}) and of its own layers,
     * whose entries are {@code ownPaths} (relative, e.g. {@code usr/bin/rpm}), holds nothing to list:
     * empty when a parent's layers are not known (not learnt, too large, unreadable), and the caller
     * asks {@link #certainlyNone(ImageReference, Platform)}.
     */
    public Optional<Boolean> certainlyNone(Collection<String> parents, Collection<String> ownPaths) {
        Optional<Learnt> learnt = learnt(parents);
        if (learnt.isEmpty() || !learnt.get().complete()) {
            return Optional.empty();
        }
        LayerFacts own = new LayerFacts(BINARIES.stream().anyMatch(path -> holds(ownPaths, path)),
                DATABASES.stream().anyMatch(path -> holds(ownPaths, path)), holds(ownPaths, DPKG_STATUS));
        return Optional.of(learnt.get().facts().and(own).nothingToList());
    }

    /** True when {@code paths} name {@code path} or anything below it. */
    private static boolean holds(Collection<String> paths, String path) {
        return paths.stream().anyMatch(known -> known.equals(path) || known.startsWith(path + "/"));
    }

    /** What the parents' layers hold, as far as they were learnt; {@code complete} when every one was. */
    private record Learnt(LayerFacts facts, boolean complete) {}

    /** The parents' layers' facts, after waiting for their learning; empty when interrupted (which stays set). */
    private Optional<Learnt> learnt(Collection<String> parents) {
        LayerFacts all = LayerFacts.NOTHING;
        boolean complete = true;
        for (String parent : parents) {
            CompletableFuture<List<Descriptor>> learnt = parentLayers.get(parent);
            List<Descriptor> parentsLayers;
            try {
                // Read during the whole buildah build, it is done; a registry in trouble must not hold the push up long.
                parentsLayers = learnt == null ? List.of() : learnt.get(LEARNING_WAIT.toSeconds(),
                        java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                parentsLayers = List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            // read() gives no layers for a parent it could not read whole (a parent of no layers counts as unknown too).
            complete &= !parentsLayers.isEmpty();
            for (Descriptor layer : parentsLayers) {
                // Known: read() completed the parent only once every one of its layers was.
                Optional<LayerFacts> facts = layers.getOrDefault(layer.digest(), CompletableFuture.completedFuture(
                        Optional.empty())).join();
                complete &= facts.isPresent();
                all = all.and(facts.orElse(LayerFacts.NOTHING));
            }
        }
        return Optional.of(new Learnt(all, complete));
    }

    /** What {@code layer} holds: remembered, or read now; empty when it cannot be read as a tar (doubt). */
    private Optional<LayerFacts> facts(ImageReference repository, Descriptor layer) throws RegistryException {
        CompletableFuture<Optional<LayerFacts>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<LayerFacts>> known = layers.putIfAbsent(layer.digest(), mine);
        if (known != null) {
            return known.join();
        }
        try {
            Optional<LayerFacts> read = read(repository, layer);
            mine.complete(read);
            if (read.isEmpty()) {
                layers.remove(layer.digest(), mine);
            } else if (layers.size() > MAX_REMEMBERED) {
                layers.clear();
            }
            return read;
        } catch (RegistryException | RuntimeException e) {
            layers.remove(layer.digest(), mine);
            mine.complete(Optional.empty());
            throw e;
        }
    }

    private Optional<LayerFacts> read(ImageReference repository, Descriptor layer) throws RegistryException {
        BaseTree tree = BaseTree.empty();
        try {
            tree.apply(new ByteArrayInputStream(recent.read(registry, repository, layer.digest())));
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new LayerFacts(BINARIES.stream().anyMatch(path -> tree.kind(path) != null),
                DATABASES.stream().anyMatch(path -> tree.kind(path) != null), tree.kind(DPKG_STATUS) != null));
    }
}
