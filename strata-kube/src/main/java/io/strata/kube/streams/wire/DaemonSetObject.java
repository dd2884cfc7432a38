package io.strata.kube.streams.wire;

import java.util.List;
import java.util.Map;

/** An {@code apps/v1} DaemonSet: one pod per node running the given containers. */
public record DaemonSetObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec)
        implements ClusterObject {

    public static final String API_VERSION = "apps/v1";
    public static final String KIND = "DaemonSet";

    public DaemonSetObject(ObjectMeta metadata, Spec spec) {
        this(API_VERSION, KIND, metadata, spec);
    }

    public record Spec(int revisionHistoryLimit, Selector selector, PodTemplate template, UpdateStrategy updateStrategy) {}

    public record Selector(Map<String, String> matchLabels) {
        public Selector {
            matchLabels = Map.copyOf(matchLabels);
        }
    }

    public record PodTemplate(ObjectMeta metadata, PodSpec spec) {}

    public record PodSpec(List<Container> containers) {
        public PodSpec {
            containers = List.copyOf(containers);
        }
    }

    public record Container(String name, String image, String imagePullPolicy, List<String> command, Resources resources) {
        public Container {
            command = List.copyOf(command);
        }
    }

    public record Resources(Map<String, String> requests) {
        public Resources {
            requests = Map.copyOf(requests);
        }
    }

    public record UpdateStrategy(String type, RollingUpdate rollingUpdate) {}

    public record RollingUpdate(String maxUnavailable) {}
}
