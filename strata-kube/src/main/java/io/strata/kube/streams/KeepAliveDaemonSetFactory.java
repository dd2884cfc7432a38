package io.strata.kube.streams;

import io.strata.kube.streams.wire.DaemonSetObject;
import io.strata.kube.streams.wire.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DaemonSet that keeps every CI image of the group running on every node. The kubelet does not
 * know a build is about to use an image and may garbage-collect it (seen on OpenShift 3.11); a running
 * container pins the image on the node.
 */
final class KeepAliveDaemonSetFactory {
    /** Sleeps until told to stop, then exits at once so rollouts are quick. */
    static final String KEEP_ALIVE_SCRIPT = """
            #!/bin/bash
            set -euo pipefail
            trap 'jobs -p | xargs -r kill || true; exit 0' TERM
            while true; do
              sleep 600 &
              wait $!
            done
            """;

    private KeepAliveDaemonSetFactory() {}

    /**
     * @param groupName  the group name; labels the DaemonSet (without the live-test suffix, as doozer does)
     * @param groupLabel the group name with the live-test suffix if any; names the DaemonSet
     */
    static DaemonSetObject create(String groupName, String groupLabel, List<RenderedStream> streams) {
        String name = "art-managed-" + groupLabel + "-dont-gc-me-bro";
        Map<String, String> selectorLabels = Map.of("app", name);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", name);
        labels.put(BuildConfigFactory.GROUP_LABEL, groupName);
        var template = new DaemonSetObject.PodTemplate(
                ObjectMeta.labelsOnly(selectorLabels),
                new DaemonSetObject.PodSpec(streams.stream().map(KeepAliveDaemonSetFactory::container).toList()));
        var spec = new DaemonSetObject.Spec(
                1,
                new DaemonSetObject.Selector(selectorLabels),
                template,
                // Half the nodes at a time: images are re-pulled when the set of streams changes.
                new DaemonSetObject.UpdateStrategy("RollingUpdate", new DaemonSetObject.RollingUpdate("50%")));
        return new DaemonSetObject(new ObjectMeta(name, BuildConfigFactory.NAMESPACE, labels, Map.of()), spec);
    }

    /** {@code <namespace>-<imagestream>-<tag>} with dots turned into dashes: container names are DNS labels. */
    static String containerName(ImageStreamTagRef output) {
        return (output.namespace() + "-" + output.imageStream() + "-" + output.tag()).replace('.', '-');
    }

    private static DaemonSetObject.Container container(RenderedStream stream) {
        ImageStreamTagRef output = stream.output();
        return new DaemonSetObject.Container(
                containerName(output),
                output.pullspec(),
                "Always",
                List.of("/bin/bash", "-c", KEEP_ALIVE_SCRIPT),
                new DaemonSetObject.Resources(Map.of("cpu", "50m")));
    }
}
