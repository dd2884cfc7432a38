package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.CustomBuildStrategy;
import io.fabric8.openshift.api.model.SecretSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Custom-strategy Builds as OpenShift runs them: one container of the strategy's {@code from}
 * image with the image's own entrypoint (no command), the strategy's {@code env} plus {@code BUILD}
 * (the Build as JSON), and each of the strategy's {@code secrets} mounted read-only at its
 * {@code mountPath}.
 */
public final class CustomStrategyBuilds implements BuildHandler {
    @Override
    public Optional<Pod> podFor(Build build) {
        CustomBuildStrategy strategy = build.getSpec().getStrategy() == null ? null : build.getSpec().getStrategy().getCustomStrategy();
        if (strategy == null) {
            return Optional.empty();
        }
        List<EnvVar> env = new ArrayList<>(Optional.ofNullable(strategy.getEnv()).orElse(List.of()));
        env.add(new EnvVarBuilder().withName("BUILD").withValue(Serialization.asJson(build)).build());
        PodBuilder pod = new PodBuilder().withNewSpec().withRestartPolicy("Never")
                .withServiceAccountName(build.getSpec().getServiceAccount())
                .withNodeSelector(build.getSpec().getNodeSelector()).endSpec();
        ContainerBuilder container = new ContainerBuilder().withName("custom-build").withImage(strategy.getFrom().getName()).withEnv(env);
        for (SecretSpec secret : Optional.ofNullable(strategy.getSecrets()).orElse(List.of())) {
            String volume = secret.getSecretSource().getName() + "-secret";
            pod.editSpec().addToVolumes(new VolumeBuilder().withName(volume).withNewSecret()
                    .withSecretName(secret.getSecretSource().getName()).endSecret().build()).endSpec();
            container.addToVolumeMounts(new VolumeMountBuilder().withName(volume).withMountPath(secret.getMountPath()).withReadOnly(true).build());
        }
        if (build.getSpec().getResources() != null) {
            container.withResources(build.getSpec().getResources());
        }
        return Optional.of(pod.editSpec().withContainers(container.build()).endSpec().build());
    }
}
