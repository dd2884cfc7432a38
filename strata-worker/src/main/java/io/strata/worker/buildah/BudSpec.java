package io.strata.worker.buildah;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code buildah bud}: what to build and how.
 *
 * @param contextDir   the build context
 * @param dockerfile   the Dockerfile, usually inside the context
 * @param tags         names to give the image in local storage
 * @param buildArgs    {@code --build-arg}s, kept sorted so the command line is reproducible
 * @param platform     e.g. "linux/amd64"; empty builds for this machine
 * @param layers       cache and reuse intermediate layers ({@code --layers})
 * @param allowNetwork let RUN steps use the network; when false the build runs in an empty
 *                     network namespace (see {@link Buildah#bud})
 * @param baseImages   the images the Dockerfile's FROM lines name; an offline build pulls them
 *                     first, since it cannot pull once the network is gone
 * @param volumes      {@code --volume host:container[:options]} mounts for RUN instructions only;
 *                     what is mounted never becomes part of a layer
 * @param namespace    when not empty (and no {@code allowNetwork}), the command prefix that runs
 *                     buildah inside the build's own network namespace (allowlist and open
 *                     policies); empty means an empty namespace of {@code unshare --net}
 * @param pinnedHosts  name -> address entries for the RUN steps' /etc/hosts ({@code --add-host}):
 *                     the allow-list's names, resolved by Strata before the build
 * @param timestamp    seconds since the epoch for the image's created times and the times of every file
 *                     in its new layers ({@code --timestamp}, SOURCE_DATE_EPOCH); empty: now
 */
public record BudSpec(Path contextDir, Path dockerfile, List<String> tags, SortedMap<String, String> buildArgs,
        Optional<String> platform, boolean layers, boolean allowNetwork, List<String> baseImages, List<String> volumes,
        Optional<String> owner, List<String> namespace, SortedMap<String, String> pinnedHosts, Optional<Long> timestamp) {

    public BudSpec {
        Objects.requireNonNull(contextDir, "contextDir");
        Objects.requireNonNull(dockerfile, "dockerfile");
        tags = List.copyOf(tags);
        buildArgs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(buildArgs));
        Objects.requireNonNull(platform, "platform");
        baseImages = List.copyOf(baseImages);
        volumes = List.copyOf(volumes);
        Objects.requireNonNull(owner, "owner");
        namespace = List.copyOf(namespace);
        pinnedHosts = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pinnedHosts));
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** A spec for the Dockerfile at {@code contextDir/Dockerfile}: no tags, layers on, network off. */
    public static Builder builder(Path contextDir) {
        return new Builder(contextDir);
    }

    public static final class Builder {
        private final Path contextDir;
        private Path dockerfile;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> buildArgs = new TreeMap<>();
        private String platform;
        private boolean layers = true;
        private boolean allowNetwork;
        private final List<String> baseImages = new ArrayList<>();
        private final List<String> volumes = new ArrayList<>();
        private String owner;
        private List<String> namespace = List.of();
        private final Map<String, String> pinnedHosts = new TreeMap<>();
        private Long timestamp;

        private Builder(Path contextDir) {
            this.contextDir = contextDir;
            this.dockerfile = contextDir.resolve("Dockerfile");
        }

        public Builder dockerfile(Path file) {
            this.dockerfile = file;
            return this;
        }

        public Builder tag(String tag) {
            tags.add(tag);
            return this;
        }

        public Builder buildArg(String name, String value) {
            buildArgs.put(name, value);
            return this;
        }

        public Builder platform(String osAndArch) {
            this.platform = osAndArch;
            return this;
        }

        public Builder layers(boolean useLayers) {
            this.layers = useLayers;
            return this;
        }

        public Builder allowNetwork(boolean allow) {
            this.allowNetwork = allow;
            return this;
        }

        public Builder baseImage(String reference) {
            baseImages.add(reference);
            return this;
        }

        public Builder volume(String hostColonContainer) {
            volumes.add(hostColonContainer);
            return this;
        }

        /** The build the working containers belong to: they are marked with it ({@link WorkingContainers}). */
        public Builder owner(String buildId) {
            this.owner = buildId;
            return this;
        }

        /** Runs buildah through {@code prefix} ({@code ip netns exec NAME}): RUN steps get that namespace's network. */
        public Builder namespace(List<String> prefix) {
            this.namespace = List.copyOf(prefix);
            return this;
        }

        public Builder pinnedHost(String name, String address) {
            pinnedHosts.put(name, address);
            return this;
        }

        /** Every created time and file time of the new layers: SOURCE_DATE_EPOCH, for reproducible digests. */
        public Builder timestamp(long epochSeconds) {
            this.timestamp = epochSeconds;
            return this;
        }

        public BudSpec build() {
            return new BudSpec(contextDir, dockerfile, tags, new TreeMap<>(buildArgs), Optional.ofNullable(platform),
                    layers, allowNetwork, baseImages, volumes, Optional.ofNullable(owner), namespace,
                    new TreeMap<>(pinnedHosts), Optional.ofNullable(timestamp));
        }
    }
}
