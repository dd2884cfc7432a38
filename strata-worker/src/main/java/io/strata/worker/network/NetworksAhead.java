package io.strata.worker.network;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.pipeline.Background;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;

/**
 * Build networks made while the steps before buildah_build run. Making one (a namespace, a veth
 * pair, the rules, and the route look-ups of the allowed addresses) took 30-50 ms between
 * buildah_build's start and buildah's first instruction; it needs only the build's id and its
 * grant, which are known once the Dockerfile is checked out when the request names no yum
 * repository. buildah_build {@link #take takes} the network begun for its build and grant; every
 * other ending {@link #release releases} it: a build that failed or was cancelled before
 * buildah_build (the engine releases every build's when it ends), one built without buildah, or
 * one whose grant turned out different. A released network is removed in the background like one
 * after a build ({@link NetworkRemovals}), so a JVM that exits waits for it.
 */
public final class NetworksAhead {
    /** A network being made for a grant, and the route look-ups of its addresses. */
    private record Ahead(NetworkGrant grant, Future<BuildNetwork> network, Future<List<String>> warnings) {}

    /** A network made ahead, and what its route look-ups warned of. */
    public record Made(BuildNetwork network, List<String> warnings) {}

    private final ConcurrentMap<BuildId, Ahead> begun = new ConcurrentHashMap<>();
    private final NetworkRemovals removals;

    /** {@code removals}: where networks released unused go (and the JVM's exit waits for them). */
    public NetworksAhead(NetworkRemovals removals) {
        this.removals = removals;
    }

    /**
     * Begins making build {@code id}'s network for {@code grant} (not policy none) on virtual threads;
     * returns at once. One per build: while one is begun, beginning again does nothing (a second would
     * have the first's names, and making or removing it would undo the first).
     */
    public void begin(BuildId id, NetworkGrant grant) {
        begun.computeIfAbsent(id, unbegun -> new Ahead(grant,
                Background.start("strata-network-ahead-" + id.value(), () -> BuildNetwork.create(id, grant)),
                Background.start("strata-forwarding-check", () -> BuildNetwork.forwardingWarnings(grant))));
    }

    /**
     * The network begun for build {@code id} with exactly {@code grant}, once made; empty when none was
     * begun, and when one was begun for another grant (it is released). A failure to make it is thrown as
     * making it here would have thrown it. A cancel while it is made leaves it to {@link #release}.
     */
    public Optional<Made> take(BuildId id, NetworkGrant grant) throws StrataException, InterruptedException {
        Ahead ahead = begun.get(id);
        if (ahead == null) {
            return Optional.empty();
        }
        if (!ahead.grant().equals(grant)) {
            release(id);
            return Optional.empty();
        }
        BuildNetwork network;
        try {
            network = Background.join(ahead.network(), "making the build's network");
        } catch (StrataException | RuntimeException e) {
            begun.remove(id, ahead); // it removed what it had made
            throw e;
        }
        begun.remove(id, ahead);
        return Optional.of(new Made(network, Background.join(ahead.warnings(), "looking up the routes of the allowed addresses")));
    }

    /** Removes build {@code id}'s network begun and not taken, in the background; nothing when there is none. */
    public void release(BuildId id) {
        Ahead ahead = begun.remove(id);
        if (ahead != null) {
            removals.removeWhenMade(id, ahead.network());
        }
    }

    /**
     * At the end of build {@code id}: its network begun and not taken is removed, and this returns once
     * it is gone (so is any removal of the build's network still running), so an ended build has none.
     */
    public void buildEnded(BuildId id) {
        release(id);
        removals.awaitRemoval(id);
    }

    /** Whether a network of build {@code id} is begun and not taken or released: for tests. */
    public boolean holds(BuildId id) {
        return begun.containsKey(id);
    }
}
