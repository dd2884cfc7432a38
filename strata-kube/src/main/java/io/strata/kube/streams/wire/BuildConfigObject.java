package io.strata.kube.streams.wire;

import java.util.List;
import java.util.Map;

/**
 * An OpenShift {@code build.openshift.io/v1} BuildConfig that builds an inline Dockerfile on top of
 * an ImageStreamTag and pushes the result to another one.
 */
public record BuildConfigObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec)
        implements ClusterObject {

    public static final String API_VERSION = "build.openshift.io/v1";
    public static final String KIND = "BuildConfig";

    public BuildConfigObject(ObjectMeta metadata, Spec spec) {
        this(API_VERSION, KIND, metadata, spec);
    }

    public record Spec(
            int failedBuildsHistoryLimit,
            int successfulBuildsHistoryLimit,
            Output output,
            Source source,
            Strategy strategy,
            List<Trigger> triggers) {
        public Spec {
            triggers = List.copyOf(triggers);
        }
    }

    public record Output(ObjectReference to) {}

    /** {@code type: Dockerfile}: the Dockerfile travels inside the BuildConfig; there is no git source. */
    public record Source(String type, String dockerfile) {
        public static Source dockerfile(String content) {
            return new Source("Dockerfile", content);
        }
    }

    public record Strategy(String type, DockerStrategy dockerStrategy) {
        public static Strategy docker(DockerStrategy strategy) {
            return new Strategy("Docker", strategy);
        }
    }

    public record DockerStrategy(ObjectReference from, String imageOptimizationPolicy) {}

    /** A trigger; {@code imageChange: {}} means "rebuild when the strategy's from image changes". */
    public record Trigger(String type, Map<String, String> imageChange) {
        public Trigger {
            imageChange = Map.copyOf(imageChange);
        }

        public static Trigger onBaseImageChange() {
            return new Trigger("ImageChange", Map.of());
        }
    }
}
