package io.strata.controller.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildStatusOutputBuilder;
import io.strata.controller.build.BuilderPodSpec;
import io.fabric8.openshift.api.model.ConfigMapBuildSource;
import io.strata.testkit.kube.BuildHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The test kubelet's OpenShift docker strategy: a Build with no source but ConfigMaps becomes a pod
 * running buildah on them (each ConfigMap's keys in the context at its {@code destinationDir}, the
 * Dockerfile at {@code dockerfilePath}), pushing to the Build's output with its push secret and
 * writing the pushed digest into the Build's {@code status.output.to.imageDigest}, as OpenShift's
 * docker builder does. The pull and push secrets are mounted as OpenShift mounts them.
 *
 * <p>The pod cannot edit its Build's status from a shell without JSON tools, so it publishes the digest
 * in a ConfigMap {@code BUILD-output}; this handler copies it into the Build (as OpenShift's builder
 * would write it) and the pod waits for that before it ends, so the Build is Complete only with its digest.
 */
public final class DockerStrategyBuilds implements BuildHandler {
    /** The image the builder pods run; the test maps it to local commands. */
    public static final String IMAGE = "strata-test/docker-builder";

    static final String SCRIPT = BuilderPodSpec.PUBLISH_CONFIGMAP + """
            set -eu
            build=$1 namespace=$2 dockerfile=$3 output=$4 pull_secret_dir=$5 push_secret_dir=$6 tls_verify=$7
            shift 7
            work=$(mktemp -d)
            b() { buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs "$@"; }
            trap 'b rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
            mkdir -p "$work/context"
            for input in "$@"; do  # destination=mounted directory
              destination=${input%%=*} source=${input#*=}
              mkdir -p "$work/context/$destination"
              cp -L "$source"/* "$work/context/$destination/"
            done
            b bud --isolation chroot --pull-always --tls-verify="$tls_verify" --authfile "$pull_secret_dir/.dockerconfigjson" \\
                -f "$work/context/$dockerfile" -t "$output" "$work/context"
            b push --tls-verify="$tls_verify" --authfile "$push_secret_dir/.dockerconfigjson" --digestfile "$work/digest" "$output" "docker://$output"
            digest=$(cat "$work/digest")
            publish_configmap "$build-output" "$namespace" digest "$digest"
            until kubectl get --raw "/apis/build.openshift.io/v1/namespaces/$namespace/builds/$build" | grep -q "$digest"; do sleep 0.2; done
            echo "pushed $output@$digest"
            """;

    private final KubernetesClient client;
    private final boolean tlsVerify;

    public DockerStrategyBuilds(KubernetesClient client, boolean tlsVerify) {
        this.client = client;
        this.tlsVerify = tlsVerify;
    }

    /** Copies {@code BUILD-output}'s digest into the Build once the pod publishes it; ends when the Build is gone. */
    private void relayDigest(String namespace, String build) {
        try {
            while (client.resources(Build.class).inNamespace(namespace).withName(build).get() != null) {
                ConfigMap output = client.configMaps().inNamespace(namespace).withName(build + "-output").get();
                if (output != null) {
                    String digest = output.getData().get("digest");
                    client.resources(Build.class).inNamespace(namespace).withName(build).edit(current -> {
                        current.getStatus().setOutput(new BuildStatusOutputBuilder().withNewTo().withImageDigest(digest).endTo().build());
                        return current;
                    });
                    client.configMaps().inNamespace(namespace).withName(build + "-output").delete();
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the mock closed under a finished test
        }
    }

    @Override
    public Optional<Pod> podFor(Build build) {
        var spec = build.getSpec();
        if (spec.getStrategy() == null || !"Docker".equals(spec.getStrategy().getType())) {
            return Optional.empty();
        }
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(build.getMetadata().getName(), build.getMetadata().getNamespace(),
                Optional.ofNullable(spec.getStrategy().getDockerStrategy().getDockerfilePath()).orElse("Dockerfile"),
                spec.getOutput().getTo().getName(), "/var/run/secrets/openshift.io/pull", "/var/run/secrets/openshift.io/push",
                Boolean.toString(tlsVerify)));
        secret(volumes, mounts, "pull", spec.getStrategy().getDockerStrategy().getPullSecret().getName());
        secret(volumes, mounts, "push", spec.getOutput().getPushSecret().getName());
        List<ConfigMapBuildSource> inputs = spec.getSource().getConfigMaps();
        for (int i = 0; i < inputs.size(); i++) {
            String path = "/var/run/configs/openshift.io/build/input-" + i;
            volumes.add(new VolumeBuilder().withName("input-" + i).withNewConfigMap().withName(inputs.get(i).getConfigMap().getName())
                    .endConfigMap().build());
            mounts.add(new VolumeMountBuilder().withName("input-" + i).withMountPath(path).withReadOnly(true).build());
            String destination = inputs.get(i).getDestinationDir() == null ? "." : inputs.get(i).getDestinationDir();
            args.add(destination + "=" + path);
        }
        Thread.ofVirtual().name("docker-build-digest-" + build.getMetadata().getName())
                .start(() -> relayDigest(build.getMetadata().getNamespace(), build.getMetadata().getName()));
        Container container = new ContainerBuilder().withName("docker-build").withImage(IMAGE)
                .withCommand("/bin/sh", "-c", SCRIPT, "docker-build").withArgs(args).withVolumeMounts(mounts).build();
        return Optional.of(new PodBuilder().withNewSpec().withRestartPolicy("Never").withContainers(container).withVolumes(volumes)
                .endSpec().build());
    }

    private static void secret(List<Volume> volumes, List<VolumeMount> mounts, String name, String secret) {
        volumes.add(new VolumeBuilder().withName(name).withNewSecret().withSecretName(secret).endSecret().build());
        mounts.add(new VolumeMountBuilder().withName(name).withMountPath("/var/run/secrets/openshift.io/" + name).withReadOnly(true).build());
    }
}
