package io.strata.testkit.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's mounted volumes made real under a root directory of its own: the volume mounted at
 * {@code /etc/strata/reactor} is the directory {@code ROOT/etc/strata/reactor}. ConfigMaps and
 * Secrets become one file per key (or per listed item), read-only when the mount is; emptyDirs
 * become empty directories.
 *
 * <p>The process does not run in a chroot, so it sees the host's paths. The kubelet therefore
 * rewrites the pod's paths in what it hands to the process: a mount path in an argument or an
 * environment value becomes the local path ({@link #rewrite} says where it is recognised); the whole mapping is also given as {@code TEST_KUBELET_MOUNTS}
 * (JSON, mount path to local path) and the root as {@code TEST_KUBELET_ROOT}. Code under test must
 * therefore take every mounted path from its arguments or environment, which is what the pods
 * Strata makes do anyway.
 */
final class PodFiles {
    private final Path root;
    /** Mount path to local directory (or file, for a subPath mount), longest first. */
    private final Map<String, Path> mounts;

    private PodFiles(Path root, Map<String, Path> mounts) {
        this.root = root;
        this.mounts = mounts;
    }

    /** Thrown when a volume's ConfigMap or Secret does not exist (the kubelet then waits, as a real one does). */
    static final class MissingSource extends Exception {
        private static final long serialVersionUID = 1L;

        MissingSource(String message) {
            super(message);
        }
    }

    static PodFiles materialise(Pod pod, Container container, Path root, KubernetesClient client, String namespace)
            throws MissingSource {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        pod.getSpec().getVolumes().forEach(volume -> volumes.put(volume.getName(), volume));
        List<Map.Entry<String, Path>> mounted = new ArrayList<>();
        try {
            for (VolumeMount mount : container.getVolumeMounts()) {
                Volume volume = volumes.get(mount.getName());
                if (volume == null) {
                    throw new MissingSource("volume mount " + mount.getName() + " names no volume of the pod");
                }
                Path directory = local(root, mount.getMountPath());
                Map<String, byte[]> files = filesOf(volume, client, namespace);
                boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
                String subPath = Optional.ofNullable(mount.getSubPath()).orElse("");
                if (!subPath.isEmpty()) {
                    byte[] content = files.get(subPath);
                    Files.createDirectories(directory.getParent());
                    Files.write(directory, content == null ? new byte[0] : content);
                    protect(directory, readOnly);
                } else {
                    Files.createDirectories(directory);
                    for (Map.Entry<String, byte[]> file : files.entrySet()) {
                        Path target = directory.resolve(file.getKey());
                        Files.createDirectories(target.getParent());
                        Files.write(target, file.getValue());
                        protect(target, readOnly);
                    }
                }
                mounted.add(Map.entry(mount.getMountPath().replaceAll("/+$", ""), directory));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the volumes of pod " + pod.getMetadata().getName() + " under " + root, e);
        }
        mounted.sort(Comparator.comparing((Map.Entry<String, Path> e) -> e.getKey().length()).reversed());
        Map<String, Path> ordered = new LinkedHashMap<>();
        mounted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new PodFiles(root, ordered);
    }

    private static Map<String, byte[]> filesOf(Volume volume, KubernetesClient client, String namespace) throws MissingSource {
        if (volume.getConfigMap() != null) {
            String name = volume.getConfigMap().getName();
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
            if (map == null) {
                if (Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
                    return Map.of();
                }
                throw new MissingSource("configmap \"" + name + "\" not found");
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            Optional.ofNullable(map.getData()).orElse(Map.of()).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
            Optional.ofNullable(map.getBinaryData()).orElse(Map.of()).forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
            return select(data, volume.getConfigMap().getItems());
        }
        if (volume.getSecret() != null) {
            String name = volume.getSecret().getSecretName();
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
                    return Map.of();
                }
                throw new MissingSource("secret \"" + name + "\" not found");
            }
            return select(secretData(secret), volume.getSecret().getItems());
        }
        if (volume.getEmptyDir() != null) {
            return Map.of();
        }
        throw new MissingSource("volume " + volume.getName() + " is of a kind the test kubelet does not mount"
                + " (it mounts configMap, secret and emptyDir)");
    }

    /** A secret's values; the mock keeps {@code stringData} as given (a real server folds it into {@code data}). */
    static Map<String, byte[]> secretData(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        Optional.ofNullable(secret.getStringData()).orElse(Map.of()).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return data;
    }

    private static Map<String, byte[]> select(Map<String, byte[]> data, List<KeyToPath> items) {
        if (items == null || items.isEmpty()) {
            return data;
        }
        Map<String, byte[]> selected = new LinkedHashMap<>();
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value != null) {
                selected.put(item.getPath(), value);
            }
        }
        return selected;
    }

    private static void protect(Path file, boolean readOnly) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(readOnly ? "r--r--r--" : "rw-r--r--"));
    }

    private static Path local(Path root, String mountPath) {
        Path local = root.resolve(mountPath.replaceAll("^/+", "")).normalize();
        if (!local.startsWith(root)) {
            throw new IllegalArgumentException("mount path " + mountPath + " leaves the pod's root");
        }
        return local;
    }

    Path root() {
        return root;
    }

    Map<String, Path> mounts() {
        return mounts;
    }

    /**
     * {@code value} with every mount path in it replaced by its local path: a mount path counts where it
     * starts the value or follows a blank, {@code =}, {@code :} or a quote, and ends the value or is
     * followed by {@code /}, a blank, a quote or {@code ;} (so {@code /etc/cfg} in
     * {@code --config=/etc/cfg/x} and in a shell script's {@code cat /etc/cfg/x} is rewritten, in
     * {@code /etc/cfgs} it is not).
     */
    String rewrite(String value) {
        String result = value;
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            java.util.regex.Pattern at = java.util.regex.Pattern.compile("(^|[\\s=:'\"])" + java.util.regex.Pattern.quote(mount.getKey())
                    + "(?=$|[/\\s'\";])");
            result = at.matcher(result).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + mount.getValue()));
        }
        return result;
    }

    /** {@code TEST_KUBELET_MOUNTS}: the mapping as a JSON object. */
    String mountsJson() {
        Map<String, String> plain = new LinkedHashMap<>();
        mounts.forEach((k, v) -> plain.put(k, v.toString()));
        return io.fabric8.kubernetes.client.utils.Serialization.asJson(plain);
    }
}
