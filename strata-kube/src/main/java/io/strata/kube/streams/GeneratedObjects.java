package io.strata.kube.streams;

import io.strata.kube.streams.wire.BuildConfigObject;
import io.strata.kube.streams.wire.ClusterObject;
import io.strata.kube.streams.wire.DaemonSetObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one generator run produced: a BuildConfig per transformed stream, in stream order, and the
 * keep-alive DaemonSet when every stream of the group was rendered.
 */
public record GeneratedObjects(List<BuildConfigObject> buildConfigs, Optional<DaemonSetObject> daemonSet) {

    public GeneratedObjects {
        buildConfigs = List.copyOf(buildConfigs);
        Objects.requireNonNull(daemonSet, "daemonSet");
    }

    /** Everything, in the order it is written and applied: BuildConfigs first, then the DaemonSet. */
    public List<ClusterObject> all() {
        List<ClusterObject> all = new ArrayList<>(buildConfigs);
        daemonSet.ifPresent(all::add);
        return List.copyOf(all);
    }

    public boolean isEmpty() {
        return buildConfigs.isEmpty() && daemonSet.isEmpty();
    }

    /** e.g. "3 BuildConfigs and 1 DaemonSet". */
    public String summary() {
        String builds = buildConfigs.size() + (buildConfigs.size() == 1 ? " BuildConfig" : " BuildConfigs");
        return daemonSet.isPresent() ? builds + " and 1 DaemonSet" : builds;
    }
}
