package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as a kubelet resolves it: {@code envFrom} ConfigMaps and Secrets, then
 * {@code env} with literal values, {@code secretKeyRef}, {@code configMapKeyRef} and the
 * {@code fieldRef}s {@code metadata.name}, {@code metadata.namespace}, {@code metadata.uid} and
 * {@code spec.nodeName}.
 */
final class PodEnvironment {
    private PodEnvironment() {}

    /** A reference that cannot be resolved; a real kubelet reports it as {@code CreateContainerConfigError}. */
    static final class Unresolvable extends Exception {
        private static final long serialVersionUID = 1L;

        Unresolvable(String message) {
            super(message);
        }
    }

    static Map<String, String> resolve(Pod pod, Container container, KubernetesClient client, String namespace) throws Unresolvable {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(java.util.List.of())) {
            String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
            if (from.getConfigMapRef() != null) {
                ConfigMap map = client.configMaps().inNamespace(namespace).withName(from.getConfigMapRef().getName()).get();
                if (map == null) {
                    throw new Unresolvable("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
                }
                Optional.ofNullable(map.getData()).orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
            }
            if (from.getSecretRef() != null) {
                Secret secret = client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
                if (secret == null) {
                    throw new Unresolvable("secret \"" + from.getSecretRef().getName() + "\" not found");
                }
                PodFiles.secretData(secret).forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
            }
        }
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(java.util.List.of())) {
            env.put(variable.getName(), variable.getValueFrom() == null
                    ? Optional.ofNullable(variable.getValue()).orElse("")
                    : valueFrom(variable.getName(), variable.getValueFrom(), pod, client, namespace));
        }
        return env;
    }

    private static String valueFrom(String name, EnvVarSource source, Pod pod, KubernetesClient client, String namespace)
            throws Unresolvable {
        if (source.getSecretKeyRef() != null) {
            String secretName = source.getSecretKeyRef().getName();
            Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
            byte[] value = secret == null ? null : PodFiles.secretData(secret).get(source.getSecretKeyRef().getKey());
            if (value == null) {
                throw new Unresolvable("couldn't find key " + source.getSecretKeyRef().getKey() + " in Secret " + namespace + "/" + secretName);
            }
            return new String(value, StandardCharsets.UTF_8);
        }
        if (source.getConfigMapKeyRef() != null) {
            String mapName = source.getConfigMapKeyRef().getName();
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(mapName).get();
            String value = map == null || map.getData() == null ? null : map.getData().get(source.getConfigMapKeyRef().getKey());
            if (value == null) {
                throw new Unresolvable("couldn't find key " + source.getConfigMapKeyRef().getKey() + " in ConfigMap " + namespace + "/" + mapName);
            }
            return value;
        }
        if (source.getFieldRef() != null) {
            return switch (source.getFieldRef().getFieldPath()) {
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> pod.getMetadata().getUid();
                case "spec.nodeName" -> TestKubelet.NODE_NAME;
                default -> throw new Unresolvable("env " + name + ": the test kubelet does not resolve fieldRef "
                        + source.getFieldRef().getFieldPath());
            };
        }
        throw new Unresolvable("env " + name + ": a valueFrom the test kubelet does not resolve");
    }
}
