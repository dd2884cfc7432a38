package io.strata.kube.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import io.strata.core.engine.WorkerSpec;
import io.strata.core.render.BuildConfigRenderer;
import io.strata.core.render.DockerfileFacts;
import io.strata.core.render.RenderedBuildConfig;
import io.strata.core.request.InvalidBuildRequestException;
import io.strata.kube.worker.WorkerOrder;
import io.strata.kube.worker.WorkerPodContract;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects of one worker build in a cluster: its Secret (the request's URLs with their
 * credentials, the registry auth file) and its Pod: the builder image ({@code build_image}) running
 * {@code strata worker}, USER_PARAMS and STRATA_WORKER in its environment, REACTOR_CONFIG from the
 * {@code reactor_config_map} ConfigMap, the build's Secret and the {@code registry_secret}s mounted
 * read-only, an emptyDir for buildah's vfs storage, {@code kubernetes.io/arch} from the platform,
 * resources from {@code cpu_limit}/{@code memory_limit}/{@code storage_limit}, tolerations from
 * {@code strata_worker_tolerations}, and a security context buildah's chroot isolation works in.
 */
final class WorkerPods {
    static final String STORAGE_MOUNT = "/var/lib/strata";
    /** The worker pods' identity: deploy/rbac.yaml gives it get on pods and configmaps, nothing else. */
    static final String WORKER_SERVICE_ACCOUNT = "strata-worker";
    /** Keys of the service's configuration a worker must not get: they are paths and settings of the service's machine. */
    private static final Set<String> SERVICE_ONLY = Set.of("strata_home", "strata_store_url", "strata_buildah_root",
            "strata_registry_auth_file", "strata_engine", "strata_server_url", "strata_server_token_file", "strata_kubeconfig",
            "strata_concurrency", "password", "token", "token_file", "username");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration config;
    private final Optional<byte[]> registryAuth;
    private final Clock clock;

    WorkerPods(Configuration config, Optional<byte[]> registryAuth, Clock clock) {
        this.config = config;
        this.registryAuth = registryAuth;
        this.clock = clock;
    }

    /** USER_PARAMS as {@code strata render build-config} renders it, from the request without its credentials. */
    RenderedBuildConfig render(WorkerSpec spec) throws StrataException {
        try {
            return new BuildConfigRenderer(clock, new java.util.Random()).render(spec.request().withoutCredentials(), config,
                    DockerfileFacts.unknown());
        } catch (InvalidBuildRequestException e) {
            throw new StrataException("BUILD_REQUEST_INVALID", "the build request cannot be rendered for a worker pod: " + e.getMessage(),
                    "this request passed validation when submitted; check the configuration of the cluster engine");
        }
    }

    /** STRATA_WORKER: build id, platform, attempt, log position, network policy, plan and the worker's configuration values. */
    String order(WorkerSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        config.redacted().forEach((key, value) -> {
            if (!SERVICE_ONLY.contains(key) && !Configuration.REDACTED.equals(value)) {
                values.put(key, value);
            }
        });
        return new WorkerOrder(spec.buildId().value(), spec.platform(), spec.attempt(), spec.logAfter(),
                spec.request().networkPolicy(), spec.planJson(), values).toJson();
    }

    Secret buildSecret(WorkerSpec spec, String namespace) {
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("git_uri", spec.request().gitUri());
        credentials.put("yum_repourls", spec.request().yumRepoUrls());
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(WorkerPodContract.buildSecretName(spec.buildId()))
                .withNamespace(namespace).withLabels(labels(spec)).endMetadata().withType("Opaque")
                .addToData(WorkerPodContract.CREDENTIALS_FILE, base64(json(credentials)));
        registryAuth.ifPresent(auth -> secret.addToData(WorkerPodContract.REGISTRY_AUTH_FILE, Base64.getEncoder().encodeToString(auth)));
        return secret.build();
    }

    Pod pod(WorkerSpec spec, String namespace, String userParamsJson) {
        List<String> secretDirs = new ArrayList<>();
        secretDirs.add(WorkerPodContract.BUILD_SECRET_MOUNT);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(WorkerPodContract.USER_PARAMS).withValue(userParamsJson).build());
        env.add(new EnvVarBuilder().withName(WorkerPodContract.STRATA_WORKER).withValue(order(spec)).build());
        config.reactorConfigMap().ifPresent(map -> env.add(new EnvVarBuilder().withName(WorkerPodContract.REACTOR_CONFIG)
                .withNewValueFrom().withNewConfigMapKeyRef(BuildConfigRenderer.REACTOR_CONFIG_KEY, map, false).endValueFrom().build()));
        env.add(new EnvVarBuilder().withName(WorkerPodContract.POD_NAME).withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("STRATA_WORKER_STORAGE").withValue(STORAGE_MOUNT).build());
        ContainerBuilder container = new ContainerBuilder().withName("worker").withImage(config.buildImage())
                .withCommand("strata").withArgs("worker")
                .addNewVolumeMount().withName("build-secret").withMountPath(WorkerPodContract.BUILD_SECRET_MOUNT).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("storage").withMountPath(STORAGE_MOUNT).endVolumeMount()
                .withNewSecurityContext().withRunAsUser(0L).withNewCapabilities()
                // buildah --isolation chroot: chroot, set ids, own files, mount in its own namespace; NET_ADMIN for the build network
                .addToAdd("SYS_ADMIN SYS_CHROOT SETUID SETGID CHOWN FOWNER DAC_OVERRIDE MKNOD SETFCAP NET_ADMIN".split(" "))
                .endCapabilities().withNewSeccompProfile().withType("Unconfined").endSeccompProfile().endSecurityContext();
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(WorkerPodContract.podName(spec.buildId(), spec.attempt()))
                .withNamespace(namespace).withLabels(labels(spec)).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(30L)
                .withServiceAccountName(WORKER_SERVICE_ACCOUNT)
                .withActiveDeadlineSeconds(config.workerMaxRunHours() * 3600L)
                .addToNodeSelector(nodeSelector(spec.platform()))
                .withTolerations(tolerations())
                .addNewVolume().withName("build-secret").withNewSecret().withSecretName(WorkerPodContract.buildSecretName(spec.buildId()))
                .withDefaultMode(0400).endSecret().endVolume()
                .addNewVolume().withName("storage").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec();
        for (String secret : new TreeSet<>(config.registrySecrets())) {
            String mount = BuildConfigRenderer.SECRETS_DIR + secret;
            secretDirs.add(mount);
            pod.editSpec().addNewVolume().withName("registry-" + secret).withNewSecret().withSecretName(secret).endSecret().endVolume().endSpec();
            container.addNewVolumeMount().withName("registry-" + secret).withMountPath(mount).withReadOnly(true).endVolumeMount();
        }
        env.add(new EnvVarBuilder().withName(WorkerPodContract.SECRETS).withValue(String.join(",", secretDirs)).build());
        Map<String, Quantity> limits = new LinkedHashMap<>();
        config.cpuLimit().ifPresent(v -> limits.put("cpu", new Quantity(v)));
        config.memoryLimit().ifPresent(v -> limits.put("memory", new Quantity(v)));
        config.storageLimit().ifPresent(v -> limits.put("ephemeral-storage", new Quantity(v)));
        if (!limits.isEmpty()) {
            container.withNewResources().withLimits(limits).withRequests(limits).endResources();
        }
        return pod.editSpec().withContainers(container.withEnv(env).build()).endSpec().build();
    }

    Map<String, String> nodeSelector(String platform) {
        Map<String, String> selector = new LinkedHashMap<>(Optional.ofNullable(config.platforms().get(platform))
                .map(p -> p.nodeSelector()).orElse(Map.of()));
        selector.put("kubernetes.io/arch", Architectures.of(platform, config));
        return selector;
    }

    /** {@code strata_worker_tolerations}: {@code key[=value]:Effect} entries; the loader has checked the list syntax. */
    List<Toleration> tolerations() {
        String raw = config.raw(ConfigKey.STRATA_WORKER_TOLERATIONS.key()).orElse("");
        List<Toleration> tolerations = new ArrayList<>();
        for (String entry : raw.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.lastIndexOf(':');
            String keyValue = colon < 0 ? item : item.substring(0, colon);
            String effect = colon < 0 ? null : item.substring(colon + 1);
            int eq = keyValue.indexOf('=');
            TolerationBuilder toleration = new TolerationBuilder().withKey(eq < 0 ? keyValue : keyValue.substring(0, eq))
                    .withOperator(eq < 0 ? "Exists" : "Equal").withEffect(effect);
            if (eq >= 0) {
                toleration.withValue(keyValue.substring(eq + 1));
            }
            tolerations.add(toleration.build());
        }
        return tolerations;
    }

    static Map<String, String> labels(WorkerSpec spec) {
        return Map.of(WorkerPodContract.BUILD_ID_LABEL, spec.buildId().value(),
                WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY,
                "strata.io/platform", spec.platform(), "strata.io/attempt", Integer.toString(spec.attempt()));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
