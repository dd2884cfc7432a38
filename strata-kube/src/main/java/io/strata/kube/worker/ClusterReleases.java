package io.strata.kube.worker;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.worker.ReleaseAllocator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Release numbers for worker pods, which have no store: one ConfigMap per component and version
 * ({@code strata-releases-HASH}) maps each taken release to the build that has it. Updates carry the
 * resourceVersion they read, so two pods taking the next number at once get a 409 and the loser
 * reads again: the API server is the lock, as the store's primary key is locally.
 */
public final class ClusterReleases implements ReleaseAllocator {
    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String namespace;

    public ClusterReleases(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public int next(BuildId build, String component, String version) throws StrataException {
        return reserve(build, component, version, Optional.empty()).orElseThrow();
    }

    @Override
    public boolean claim(BuildId build, String component, String version, String release) throws StrataException {
        return reserve(build, component, version, Optional.of(release)).isPresent();
    }

    private Optional<Integer> reserve(BuildId build, String component, String version, Optional<String> wanted) throws StrataException {
        String name = "strata-releases-" + HexFormat.of().formatHex(sha256(component + "\n" + version)).substring(0, 20);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
                Map<String, String> taken = new HashMap<>(map == null || map.getData() == null ? Map.of() : map.getData());
                Optional<String> mine = taken.entrySet().stream().filter(e -> e.getValue().equals(build.value())).map(Map.Entry::getKey).findFirst();
                if (wanted.isEmpty() && mine.isPresent()) {
                    return Optional.of(Integer.parseInt(mine.get()));
                }
                String release;
                if (wanted.isPresent()) {
                    String holder = taken.get(wanted.get());
                    if (holder != null) {
                        return holder.equals(build.value()) ? Optional.of(0) : Optional.empty();
                    }
                    release = wanted.get();
                } else {
                    release = Integer.toString(taken.keySet().stream().filter(k -> k.matches("\\d+")).mapToInt(Integer::parseInt).max().orElse(0) + 1);
                }
                taken.put(release, build.value());
                ConfigMap next = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(WorkerPodContract.MANAGED_BY_LABEL, WorkerPodContract.MANAGED_BY)
                        .addToAnnotations("strata.io/component", component).addToAnnotations("strata.io/version", version)
                        .withResourceVersion(map == null ? null : map.getMetadata().getResourceVersion()).endMetadata()
                        .withData(taken).build();
                if (map == null) {
                    client.configMaps().inNamespace(namespace).resource(next).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(next).update();
                }
                return Optional.of(release.matches("\\d+") ? Integer.parseInt(release) : 0);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StrataException("RELEASE_UNAVAILABLE", "cannot reserve a release of " + component + " " + version
                            + " in the cluster (ConfigMap " + namespace + "/" + name + "): " + e.getMessage(),
                            "the worker's service account needs get, create and update on configmaps in " + namespace);
                }
            }
        }
        throw new StrataException("RELEASE_UNAVAILABLE", "cannot reserve a release of " + component + " " + version
                + ": " + ATTEMPTS + " conflicting updates in a row", "try the build again");
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
