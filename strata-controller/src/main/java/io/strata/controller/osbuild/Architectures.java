package io.strata.controller.osbuild;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The architectures a pool's layered image is built for: the {@code kubernetes.io/arch} labels of the
 * nodes its {@code spec.nodeSelector} selects, because each of those nodes pulls the image and needs a
 * manifest it can run. A pool without nodes (or a controller not allowed to list them) gets the
 * controller's own architecture, which is what the machine-config-operator builds for.
 *
 * <p>Names: OCI's ({@code amd64}, {@code arm64}, {@code ppc64le}, {@code s390x}) everywhere, and the
 * MachineOSConfig API's upper-case ones ({@code AMD64}, ...) only to pick {@code containerFile[]} entries.
 */
public final class Architectures {
    /** The node label every kubelet sets, and the nodeSelector a build pod of one architecture carries. */
    public static final String ARCH_LABEL = io.strata.controller.build.BuilderPodSpec.ARCH_LABEL;

    private Architectures() {
    }

    /** Sorted OCI architecture names; never empty. */
    public static List<String> of(KubernetesClient client, MachineConfigPool pool) {
        LabelSelector selector = pool.getSpec() == null ? null : pool.getSpec().getNodeSelector();
        TreeSet<String> found = new TreeSet<>();
        try {
            List<Node> nodes = selector == null ? List.of() : client.nodes().withLabelSelector(selector).list().getItems();
            for (Node node : nodes) {
                Optional.ofNullable(node.getMetadata().getLabels()).map(labels -> labels.get(ARCH_LABEL))
                        .filter(arch -> !arch.isBlank()).ifPresent(found::add);
            }
        } catch (KubernetesClientException e) {
            // Not allowed to list nodes: build as the operator does, for the architecture it runs on.
        }
        return found.isEmpty() ? List.of(thisMachine()) : List.copyOf(found);
    }

    /** This machine's architecture, as OCI names it. */
    static String thisMachine() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    /** The {@code containerfileArch} value that names {@code ociArch}: AMD64, ARM64, PPC64LE, S390X. */
    static String containerfileArch(String ociArch) {
        return ociArch.toUpperCase(Locale.ROOT);
    }

    /** Parses the annotation a MachineOSBuild carries its architectures in ({@code amd64,arm64}). */
    static List<String> parse(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(OsBuildLabels.ARCHITECTURES);
        if (value == null || value.isBlank()) {
            return List.of(thisMachine());
        }
        return List.copyOf(new TreeSet<>(Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()));
    }
}
