package io.strata.controller.build;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.ControllerSettings;

/** The builder of each {@link BuilderType}. */
public final class ImageBuilders {
    private final OpenShiftImageBuilder openShift;
    private final CustomPodBuilder pod;
    private final JobImageBuilder job;

    public ImageBuilders(KubernetesClient client, ControllerSettings settings) {
        this.openShift = new OpenShiftImageBuilder(client);
        this.pod = new CustomPodBuilder(client, settings);
        this.job = new JobImageBuilder(client, settings);
    }

    public ImageBuilder of(BuilderType type) {
        return switch (type) {
            case OPENSHIFT_IMAGE_BUILDER -> openShift;
            case CUSTOM_POD_BUILDER -> pod;
            case JOB -> job;
        };
    }
}
