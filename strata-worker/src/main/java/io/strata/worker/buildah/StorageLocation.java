package io.strata.worker.buildah;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where buildah keeps its images and layers, and with which driver: what Strata may read directly
 * (the files of an image it just built, without a working container or a registry round trip).
 * Only the overlay and vfs drivers, whose layers are plain directories, are read; anything else, or
 * any doubt, gives no location, and the callers read the registry as before.
 *
 * @param root   buildah's {@code --root} (containers-storage's graphroot)
 * @param driver {@code overlay} or {@code vfs}
 */
public record StorageLocation(Path root, String driver) {
    private static final Set<String> READABLE = Set.of("overlay", "vfs");
    /** containers-storage's own default graphroot for root. */
    static final Path DEFAULT_ROOT = Path.of("/var/lib/containers/storage");
    private static final List<Path> SYSTEM_CONFIGS = List.of(Path.of("/etc/containers/storage.conf"),
            Path.of("/usr/share/containers/storage.conf"));
    private static final Pattern SETTING = Pattern.compile("^\\s*(driver|graphroot)\\s*=\\s*[\"']([^\"']*)[\"']\\s*(#.*)?$");

    /**
     * The storage buildah uses with {@code options}, as {@link #of(BuildahOptions, Map, boolean)} finds
     * it for this process: its environment (the buildah it runs inherits it) and whether it runs as root.
     * The environment is read only when the options name no root or no driver.
     */
    public static Optional<StorageLocation> of(BuildahOptions options) {
        if (options.root() != null && options.storageDriver() != null && !options.storageDriver().isBlank()) {
            return of(options, Map.of(), false);
        }
        return of(options, System.getenv(), "root".equals(System.getProperty("user.name")));
    }

    /**
     * The storage buildah uses with {@code options}: the root and driver they name, else what
     * containers-storage's configuration says (the file {@code CONTAINERS_STORAGE_CONF} in
     * {@code environment} names, else the system's), as buildah itself reads it when run as root.
     * A driver named nowhere is the one whose image list alone exists under the root. Not run as root
     * (rootless storage lives elsewhere): only what the options name.
     */
    public static Optional<StorageLocation> of(BuildahOptions options, Map<String, String> environment, boolean asRoot) {
        Optional<Path> root = Optional.ofNullable(options.root());
        Optional<String> driver = Optional.ofNullable(options.storageDriver()).filter(name -> !name.isBlank());
        if (root.isEmpty() || driver.isEmpty()) {
            if (!asRoot) {
                return Optional.empty();
            }
            Map<String, String> configured = configured(environment);
            root = root.or(() -> Optional.of(Path.of(configured.getOrDefault("graphroot", DEFAULT_ROOT.toString()))));
            if (driver.isEmpty()) {
                driver = Optional.ofNullable(configured.get("driver")).filter(name -> !name.isBlank());
            }
        }
        Path at = root.get();
        Optional<String> found = driver.isPresent() ? driver : onlyDriverUnder(at);
        return found.filter(READABLE::contains).map(name -> new StorageLocation(at, name));
    }

    /** The driver whose image list is the only one under {@code root}; empty when none or several are. */
    private static Optional<String> onlyDriverUnder(Path root) {
        List<String> drivers = new ArrayList<>();
        try (var entries = Files.list(root)) {
            entries.map(path -> path.getFileName().toString()).filter(name -> name.endsWith("-images"))
                    .forEach(name -> drivers.add(name.substring(0, name.length() - "-images".length())));
        } catch (IOException e) {
            return Optional.empty();
        }
        return drivers.size() == 1 ? Optional.of(drivers.getFirst()) : Optional.empty();
    }

    /** {@code driver} and {@code graphroot} of the {@code [storage]} table of the configuration buildah reads. */
    static Map<String, String> configured(Map<String, String> environment) {
        String named = environment.get("CONTAINERS_STORAGE_CONF");
        List<Path> candidates = named != null && !named.isBlank() ? List.of(Path.of(named)) : SYSTEM_CONFIGS;
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                try {
                    return settings(Files.readAllLines(candidate));
                } catch (IOException e) {
                    return Map.of();
                }
            }
        }
        return Map.of();
    }

    /** The two settings, read from the {@code [storage]} table only (other tables have keys of the same names). */
    static Map<String, String> settings(List<String> lines) {
        Map<String, String> found = new java.util.HashMap<>();
        boolean inStorage = false;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inStorage = trimmed.equals("[storage]");
                continue;
            }
            Matcher setting = SETTING.matcher(line);
            if (inStorage && setting.matches()) {
                found.put(setting.group(1), setting.group(2));
            }
        }
        return found;
    }

    /** The directory that holds the files of layer {@code id}: overlay's {@code diff}, vfs's whole tree. */
    public Path layerDirectory(String id) {
        return driver.equals("overlay") ? root.resolve("overlay").resolve(id).resolve("diff")
                : root.resolve("vfs").resolve("dir").resolve(id);
    }

    /** The JSON list of images ({@code images.json}) and of layers ({@code layers.json}) of this driver. */
    public Path imagesFile() {
        return root.resolve(driver + "-images").resolve("images.json");
    }

    public Path layersDirectory() {
        return root.resolve(driver + "-layers");
    }
}
