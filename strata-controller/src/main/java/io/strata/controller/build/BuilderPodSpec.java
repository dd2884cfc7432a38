package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.DIGEST_KEY;
import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strata.controller.ControllerSettings;
import java.util.List;

/**
 * The pod that builds with buildah, for the custom pod builder and for Job builds: the Dockerfile and
 * MachineConfig ConfigMaps and the two secrets mounted read-only, buildah's storage in a directory of
 * its own, the digest written with {@code --digestfile} and published as {@code digest-R} (key
 * {@code digest}) with kubectl, which the controller reads.
 */
public final class BuilderPodSpec {
    static final String DOCKERFILE_DIR = "/tmp/dockerfile";
    static final String MACHINE_CONFIG_DIR = "/tmp/machineconfig";
    static final String PULL_SECRET_DIR = "/tmp/base-image-pull-creds";
    static final String PUSH_SECRET_DIR = "/tmp/final-image-push-creds";

    /**
     * The build script. Paths come from the environment so a test kubelet that maps mounts elsewhere
     * can point them there. Storage lives in a fresh directory removed at the end: a pod's build never
     * touches the node's image store.
     */
    static final String SCRIPT = """
            set -eu
            work=$(mktemp -d)
            b() { buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs "$@"; }
            trap 'b rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
            mkdir -p "$work/context/machineconfig"
            cp "$MACHINE_CONFIG_DIR/machineconfig.json.gz" "$work/context/machineconfig/"
            b bud --isolation chroot --pull-always --tls-verify="$TLS_VERIFY" --authfile "$PULL_SECRET_DIR/config.json" \\
                -f "$DOCKERFILE_DIR/Dockerfile" -t "$FINAL_IMAGE" "$work/context"
            b push --tls-verify="$TLS_VERIFY" --authfile "$PUSH_SECRET_DIR/config.json" --digestfile "$work/digest" \\
                "$FINAL_IMAGE" "docker://$FINAL_IMAGE"
            kubectl create configmap "$DIGEST_CONFIGMAP" --namespace "$NAMESPACE" --from-file=digest="$work/digest"
            echo "pushed $FINAL_IMAGE@$(cat "$work/digest")"
            """;

    private BuilderPodSpec() {
    }

    static PodSpec of(LayeredBuild build, ControllerSettings settings) {
        BuildObjectNames names = build.names();
        List<EnvVar> env = List.of(env("DOCKERFILE_DIR", DOCKERFILE_DIR), env("MACHINE_CONFIG_DIR", MACHINE_CONFIG_DIR),
                env("PULL_SECRET_DIR", PULL_SECRET_DIR), env("PUSH_SECRET_DIR", PUSH_SECRET_DIR),
                env("FINAL_IMAGE", build.inputs().finalImage().toString()), env("DIGEST_CONFIGMAP", names.digest()),
                env("NAMESPACE", NAMESPACE), env("TLS_VERIFY", Boolean.toString(settings.tlsVerify())),
                env("DIGEST_KEY", DIGEST_KEY));
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .addNewContainer().withName("image-build").withImage(settings.builderImage())
                .withCommand("/bin/sh", "-c", SCRIPT).withEnv(env)
                .withVolumeMounts(mount("dockerfile", DOCKERFILE_DIR), mount("machineconfig", MACHINE_CONFIG_DIR),
                        mount("base-image-pull-creds", PULL_SECRET_DIR), mount("final-image-push-creds", PUSH_SECRET_DIR))
                .endContainer()
                .withVolumes(configMapVolume("dockerfile", names.dockerfile()), configMapVolume("machineconfig", names.machineConfig()),
                        secretVolume("base-image-pull-creds", build.inputs().baseImagePullSecret()),
                        secretVolume("final-image-push-creds", build.inputs().finalImagePushSecret()))
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static VolumeMount mount(String volume, String path) {
        VolumeMount mount = new VolumeMount();
        mount.setName(volume);
        mount.setMountPath(path);
        mount.setReadOnly(true);
        return mount;
    }

    private static Volume configMapVolume(String name, String configMap) {
        return new VolumeBuilder().withName(name).withNewConfigMap().withName(configMap).endConfigMap().build();
    }

    /** A dockerconfigjson Secret's one key, as the auth file buildah reads. */
    private static Volume secretVolume(String name, String secret) {
        return new VolumeBuilder().withName(name).withNewSecret().withSecretName(secret)
                .addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem().endSecret().build();
    }
}
