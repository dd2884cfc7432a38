package io.strata.local.ops;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.config.PlatformConfig;
import io.strata.core.config.StrataEngine;
import io.strata.core.service.Caller;
import io.strata.core.service.EngineService;
import io.strata.core.service.EngineStatus;
import io.strata.core.service.OperationsReasons;
import io.strata.core.service.ServiceException;
import io.strata.local.store.JdbcBuildStore;
import io.strata.local.store.QueueCount;
import io.strata.local.store.QueueDrain;
import io.strata.registry.Platform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link EngineService} on the store: the engines (every engine Strata knows, the configured one
 * with its concurrency) and platforms (configured, this machine's, and any in the queue), their
 * queue counts over the fleet, and drains kept in the store, which every scheduler's claim honours.
 */
public final class LocalEngines implements EngineService {
    private final JdbcBuildStore store;
    private final Configuration config;

    public LocalEngines(JdbcBuildStore store, Configuration config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public List<EngineStatus> engines(Caller caller) throws StrataException {
        List<QueueCount> counts = store.queueCounts();
        Map<String, QueueDrain> drains = store.drains().stream()
                .collect(Collectors.toMap(d -> d.scope() + "/" + d.name(), Function.identity()));
        List<EngineStatus> all = new ArrayList<>();
        for (String engine : engineNames(counts, drains.values())) {
            TreeSet<String> platforms = new TreeSet<>();
            counts.stream().filter(c -> c.engine().equals(engine)).forEach(c -> platforms.add(c.platform()));
            boolean configured = engine.equals(config.strata().engine().configName());
            if (configured) {
                platforms.add(Platform.current().kojiArch());
            }
            all.add(status(engine, EngineStatus.ENGINE, List.copyOf(platforms),
                    configured ? Optional.of(config.strata().concurrency()) : Optional.empty(),
                    counts.stream().filter(c -> c.engine().equals(engine)).toList(), drains.get(QueueDrain.ENGINE + "/" + engine)));
        }
        for (String platform : platformNames(counts, drains.values())) {
            PlatformConfig section = config.platforms().get(platform);
            Optional<Integer> limit = section == null || section.maxConcurrentBuilds().isEmpty() ? Optional.empty()
                    : Optional.of(section.maxConcurrentBuilds().getAsInt());
            all.add(status(platform, EngineStatus.PLATFORM, List.of(platform), limit,
                    counts.stream().filter(c -> c.platform().equals(platform)).toList(),
                    drains.get(QueueDrain.PLATFORM + "/" + platform)));
        }
        return List.copyOf(all);
    }

    @Override
    public EngineStatus drain(String name, Caller caller) throws StrataException {
        Target target = resolve(name, caller);
        store.drain(target.scope(), target.name(), caller.user());
        return current(target, caller);
    }

    @Override
    public EngineStatus undrain(String name, Caller caller) throws StrataException {
        Target target = resolve(name, caller);
        store.undrain(target.scope(), target.name());
        return current(target, caller);
    }

    private record Target(String scope, String name) {}

    /** An engine by its configuration name, else a platform this service knows; the caller must be an admin. */
    private Target resolve(String given, Caller caller) throws StrataException {
        if (!caller.admin()) {
            throw new ServiceException(OperationsReasons.ADMIN_REQUIRED, "only an admin may drain or undrain engines; "
                    + caller.user() + " is not one", "ask an admin, or use an admin token (strata tokens create --admin)");
        }
        String name = given == null ? "" : given.strip();
        if (Arrays.stream(StrataEngine.values()).anyMatch(e -> e.configName().equals(name))) {
            return new Target(QueueDrain.ENGINE, name);
        }
        List<QueueCount> counts = store.queueCounts();
        TreeSet<String> platforms = platformNames(counts, store.drains());
        if (platforms.contains(name)) {
            return new Target(QueueDrain.PLATFORM, name);
        }
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        throw new ServiceException(OperationsReasons.ENGINE_UNKNOWN, "'" + shown + "' is neither an engine nor a platform"
                + " this service knows", "name one of the engines " + String.join(", ", engineNames(counts, store.drains()))
                + " or platforms " + String.join(", ", platforms) + " (strata engines list)");
    }

    private EngineStatus current(Target target, Caller caller) throws StrataException {
        return engines(caller).stream()
                .filter(s -> s.name().equals(target.name()) && s.kind().equals(target.scope()))
                .findFirst().orElseThrow();
    }

    private static EngineStatus status(String name, String kind, List<String> platforms, Optional<Integer> concurrency,
            List<QueueCount> counts, QueueDrain drain) {
        return new EngineStatus(name, kind, platforms, concurrency, counts.stream().mapToInt(QueueCount::running).sum(),
                counts.stream().mapToInt(QueueCount::pending).sum(), drain != null,
                Optional.ofNullable(drain).map(QueueDrain::drainedAt), Optional.ofNullable(drain).map(QueueDrain::drainedBy));
    }

    /** The configured engine and any other a fleet member queued builds for or drained. */
    private List<String> engineNames(List<QueueCount> counts, java.util.Collection<QueueDrain> drains) {
        TreeSet<String> names = new TreeSet<>();
        names.add(config.strata().engine().configName());
        counts.forEach(c -> names.add(c.engine()));
        drains.stream().filter(d -> d.scope().equals(QueueDrain.ENGINE)).forEach(d -> names.add(d.name()));
        return List.copyOf(names);
    }

    private TreeSet<String> platformNames(List<QueueCount> counts, java.util.Collection<QueueDrain> drains) {
        TreeSet<String> names = new TreeSet<>(config.platforms().keySet());
        names.add(Platform.current().kojiArch());
        counts.forEach(c -> names.add(c.platform()));
        drains.stream().filter(d -> d.scope().equals(QueueDrain.PLATFORM)).forEach(d -> names.add(d.name()));
        return names;
    }
}
