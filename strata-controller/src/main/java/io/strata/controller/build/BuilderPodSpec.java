package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strata.controller.ControllerSettings;

/**
 * The pod that builds with buildah, for the custom pod builder and for Job builds: the Dockerfile and
 * MachineConfig ConfigMaps and the two secrets mounted read-only, buildah's storage in a directory of
 * its own, the digest written with {@code --digestfile} and published as {@code digest-R} (key
 * {@code digest}) through the API, which the controller reads. The builder image needs buildah, curl and,
 * where the pod is given a {@code KUBECONFIG} instead of a service account, kubectl.
 */
public final class BuilderPodSpec {
    /** The node label a kubelet sets to its architecture. */
    public static final String ARCH_LABEL = "kubernetes.io/arch";
    static final String DOCKERFILE_DIR = "/tmp/dockerfile";
    static final String MACHINE_CONFIG_DIR = "/tmp/machineconfig";
    static final String PULL_SECRET_DIR = "/tmp/base-image-pull-creds";
    static final String PUSH_SECRET_DIR = "/tmp/final-image-push-creds";

    /**
     * A shell function, {@code publish_configmap NAME NAMESPACE KEY VALUE}: creates a ConfigMap through
     * the API, in a pod with its service account or, where the pod is given one, with {@code $KUBECONFIG}.
     * It POSTs JSON itself: kubectl's typed create speaks protobuf, which not every API server takes
     * (the fabric8 mock the tests run on does not), and needs discovery.
     */
    public static final String PUBLISH_CONFIGMAP = """
            publish_configmap() {
              if [ -n "${KUBECONFIG:-}" ]; then
                api=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
                token=$(kubectl config view --minify --raw -o jsonpath='{.users[0].user.token}')
                tls=""
              else
                sa=/var/run/secrets/kubernetes.io/serviceaccount
                api="https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}" token=$(cat "$sa/token") tls="--cacert=$sa/ca.crt"
              fi
              printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s"},"data":{"%s":"%s"}}' "$1" "$2" "$3" "$4" |
                curl -fsS $tls -H "Authorization: Bearer $token" -H "Content-Type: application/json" --data-binary @- \\
                  "$api/api/v1/namespaces/$2/configmaps" > /dev/null
            }
            """;

    /**
     * The build script; its arguments, in order: the Dockerfile and MachineConfig mount directories,
     * the pull and push secret mount directories, the final image, the digest ConfigMap, the namespace
     * whether TLS is verified and the platform to build for ({@code linux/ARCH}, or empty for the node's
     * own; a foreign one runs under QEMU user emulation where the node has it). Storage lives in a fresh directory removed at the end: a pod's build
     * never touches the node's image store.
     */
    static final String SCRIPT = BuilderPodSpec.PUBLISH_CONFIGMAP + """
            set -eu
            dockerfile_dir=$1 machineconfig_dir=$2 pull_secret_dir=$3 push_secret_dir=$4
            final_image=$5 digest_configmap=$6 namespace=$7 tls_verify=$8 platform=${9:-}
            work=$(mktemp -d)
            b() { buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs "$@"; }
            trap 'b rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
            mkdir -p "$work/context/machineconfig"
            cp "$machineconfig_dir/machineconfig.json.gz" "$work/context/machineconfig/"
            b bud --isolation chroot ${platform:+--platform "$platform"} --pull-always --tls-verify="$tls_verify" --authfile "$pull_secret_dir/config.json" \\
                -f "$dockerfile_dir/Dockerfile" -t "$final_image" "$work/context"
            b push --tls-verify="$tls_verify" --authfile "$push_secret_dir/config.json" --digestfile "$work/digest" \\
                "$final_image" "docker://$final_image"
            digest=$(cat "$work/digest")
            publish_configmap "$digest_configmap" "$namespace" digest "$digest"
            echo "pushed $final_image@$digest"
            """;

    private BuilderPodSpec() {
    }

    static PodSpec of(LayeredBuild build, ControllerSettings settings) {
        BuildObjectNames names = build.names();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                // A build of one architecture runs on a node of it, natively; the platform makes buildah pull that image.
                .withNodeSelector(build.architecture().map(arch -> java.util.Map.of(ARCH_LABEL, arch)).orElse(null))
                .addNewContainer().withName("image-build").withImage(settings.builderImage())
                .withCommand("/bin/sh", "-c", SCRIPT, "image-build")
                .withArgs(DOCKERFILE_DIR, MACHINE_CONFIG_DIR, PULL_SECRET_DIR, PUSH_SECRET_DIR, build.inputs().finalImage().toString(),
                        names.digest(), NAMESPACE, Boolean.toString(settings.tlsVerify()),
                        build.architecture().map(arch -> "linux/" + arch).orElse(""))
                .withVolumeMounts(mount("dockerfile", DOCKERFILE_DIR), mount("machineconfig", MACHINE_CONFIG_DIR),
                        mount("base-image-pull-creds", PULL_SECRET_DIR), mount("final-image-push-creds", PUSH_SECRET_DIR))
                .endContainer()
                .withVolumes(configMapVolume("dockerfile", names.dockerfile()), configMapVolume("machineconfig", names.machineConfig()),
                        secretVolume("base-image-pull-creds", build.inputs().baseImagePullSecret()),
                        secretVolume("final-image-push-creds", build.inputs().finalImagePushSecret()))
                .build();
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
