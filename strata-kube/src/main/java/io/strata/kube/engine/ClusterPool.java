package io.strata.kube.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.kube.worker.WorkerPodContract;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters worker builds may run on, per platform, as the reactor config's {@code clusters:}
 * section gives them (a cluster name is a kubeconfig context), each with
 * {@code max_concurrent_builds}; with no such section one cluster serves every platform. Placement
 * is least-loaded: each candidate is asked how many Strata worker pods it runs (this also proves it
 * reachable and the namespace permitted); an unreachable or forbidden cluster is skipped (and not
 * asked again for a while), so one cluster down never blocks builds on the others (atomic-reactor
 * #664), and a full one is skipped too.
 */
final class ClusterPool implements AutoCloseable {
    static final Duration UNREACHABLE_BACKOFF = Duration.ofSeconds(30);

    /** One cluster of a platform. */
    record Member(ClusterAccess access, int maxConcurrentBuilds) {}

    /** Where a build goes; empty with the reason every candidate was refused. */
    record Placement(Optional<Member> member, List<String> refusals, boolean allFull, boolean allForbidden) {}

    private final Map<String, List<Member>> byPlatform;
    private final Optional<Member> everywhere;
    private final Clock clock;
    private final PrintStream diagnostics;
    private final Map<String, Instant> downUntil = new ConcurrentHashMap<>();

    ClusterPool(Map<String, List<Member>> byPlatform, Optional<Member> everywhere, Clock clock, PrintStream diagnostics) {
        this.byPlatform = Map.copyOf(byPlatform);
        this.everywhere = everywhere;
        this.clock = clock;
        this.diagnostics = diagnostics;
    }

    /** Every cluster once (for re-attaching after a restart). */
    List<Member> all() {
        List<Member> all = new ArrayList<>();
        everywhere.ifPresent(all::add);
        byPlatform.values().forEach(members -> members.forEach(m -> {
            if (all.stream().noneMatch(a -> a.access().name().equals(m.access().name()))) {
                all.add(m);
            }
        }));
        return all;
    }

    List<Member> candidates(String platform) throws StrataException {
        if (everywhere.isPresent()) {
            return List.of(everywhere.get());
        }
        List<Member> members = byPlatform.getOrDefault(platform, List.of());
        if (members.isEmpty()) {
            throw new StrataException("CLUSTER_NOT_CONFIGURED", "no cluster builds platform " + platform + ": the reactor config's"
                    + " clusters: section names none (it has " + byPlatform.keySet() + ")",
                    "add the platform to clusters: in the reactor config, or build only for " + byPlatform.keySet());
        }
        return members;
    }

    /** The least-loaded reachable cluster of the platform with room left. */
    Placement place(String platform) throws StrataException {
        List<String> refusals = new ArrayList<>();
        record Load(Member member, int running) {}
        List<Load> loads = new ArrayList<>();
        boolean anyFull = false;
        int forbidden = 0;
        for (Member member : candidates(platform)) {
            String name = member.access().name();
            Instant until = downUntil.get(name);
            if (until != null && clock.instant().isBefore(until)) {
                refusals.add(name + ": unreachable a moment ago");
                continue;
            }
            try {
                List<Pod> pods = member.access().client().pods().inNamespace(member.access().namespace())
                        .withLabel(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY).list().getItems();
                int running = (int) pods.stream().filter(p -> p.getStatus() == null || !terminal(p.getStatus().getPhase())).count();
                downUntil.remove(name);
                if (running >= member.maxConcurrentBuilds()) {
                    anyFull = true;
                    refusals.add(name + ": full (" + running + " of " + member.maxConcurrentBuilds() + ")");
                    continue;
                }
                loads.add(new Load(member, running));
            } catch (KubernetesClientException e) {
                if (ApiRetries.unanswered(e)) {
                    downUntil.put(name, clock.instant().plus(UNREACHABLE_BACKOFF));
                }
                String why = e.getCode() == 403 ? "forbidden (403)" : ApiRetries.unanswered(e) ? "unreachable (" + KubeFailures.rootCause(e) + ")" : "answered " + e.getCode();
                forbidden += e.getCode() == 403 ? 1 : 0;
                refusals.add(name + ": " + why);
                diagnostics.println("strata: cluster " + name + " is " + why + "; placing builds of " + platform + " elsewhere");
            }
        }
        Optional<Member> best = loads.stream()
                .min(Comparator.comparingDouble((Load l) -> (double) l.running() / l.member().maxConcurrentBuilds()))
                .map(Load::member);
        return new Placement(best, refusals, best.isEmpty() && anyFull, best.isEmpty() && !refusals.isEmpty() && forbidden == refusals.size());
    }

    /**
     * {@link #place}, waiting while every reachable cluster of the platform is full; empty when
     * {@code cancelled} while waiting; CLUSTER_UNREACHABLE when no cluster can be reached at all.
     */
    Optional<Member> placeWaiting(String platform, java.util.function.BooleanSupplier cancelled, Runnable pause) throws StrataException {
        while (!cancelled.getAsBoolean()) {
            Placement placement = place(platform);
            if (placement.member().isPresent()) {
                return placement.member();
            }
            if (placement.allForbidden()) {
                throw new StrataException("CLUSTER_FORBIDDEN", "no cluster lets Strata run a worker build of " + platform + ": "
                        + String.join("; ", placement.refusals()), "give the service account Strata uses the role in deploy/rbac.yaml"
                        + " (pods, pods/log, configmaps, secrets), or set namespace in osbs.conf to one it may use");
            }
            if (!placement.allFull()) {
                throw new StrataException("CLUSTER_UNREACHABLE", "no cluster can run a worker build of " + platform + ": "
                        + String.join("; ", placement.refusals()),
                        "check the clusters' API servers and the service account's permissions; the build is tried again");
            }
            pause.run();
        }
        return Optional.empty();
    }

    static boolean terminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    @Override
    public void close() {
        all().forEach(m -> m.access().close());
    }
}
