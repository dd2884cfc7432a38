package io.strata.controller;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPoolBuilder;
import io.strata.testkit.kube.MockKubeFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The test kit's mock API server (fabric8's, CRUD mode) in the controller's namespace, with the CRDs of {@code deploy/crds} loaded (so status is a
 * subresource, as on a real cluster), and the objects a pool's build reads.
 */
public final class MockCluster implements AutoCloseable {
    public static final Path CRDS = Path.of("..", "deploy", "crds").toAbsolutePath().normalize();

    private final MockKubeFixture fixture;
    private final KubernetesClient client;

    private MockCluster(MockKubeFixture fixture) {
        this.fixture = fixture;
        this.client = fixture.newClient();
    }

    public static MockCluster start() {
        MockCluster cluster = new MockCluster(MockKubeFixture.start(NAMESPACE));
        cluster.loadCrds();
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        return cluster;
    }

    /** The mock and its kubeconfig, for the test kubelet and subprocesses. */
    public MockKubeFixture fixture() {
        return fixture;
    }

    private void loadCrds() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(CRDS, "*.yaml")) {
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.apiextensions().v1().customResourceDefinitions()
                            .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** The two input ConfigMaps and the secrets they name, all valid. */
    public void inputs(String baseImage, String finalImage, String builderType) {
        secret("base-pull");
        secret("final-push");
        Map<String, String> build = new LinkedHashMap<>(Map.of(MachineConfigNames.BASE_IMAGE_PULL_SECRET_KEY, "base-pull",
                MachineConfigNames.FINAL_IMAGE_PUSH_SECRET_KEY, "final-push", MachineConfigNames.FINAL_IMAGE_PULLSPEC_KEY, finalImage));
        if (builderType != null) {
            build.put(MachineConfigNames.IMAGE_BUILDER_TYPE_KEY, builderType);
        }
        configMap(MachineConfigNames.BUILD_CONFIG_MAP, build);
        configMap(MachineConfigNames.OS_IMAGE_URL_CONFIG_MAP, Map.of(MachineConfigNames.BASE_OS_IMAGE_KEY, baseImage,
                "releaseVersion", "4.14.0", "osImageURL", baseImage));
    }

    public void configMap(String name, Map<String, String> data) {
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(NAMESPACE).endMetadata().withData(data).build()).createOr(existing -> existing.update());
    }

    /** A dockerconfigjson Secret with no credentials (the test registry needs none). */
    public void secret(String name) {
        secret(name, "{\"auths\":{}}");
    }

    /** A dockerconfigjson Secret holding {@code authFile} (a docker config.json). */
    public void secret(String name, String authFile) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .endMetadata().withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", Base64.getEncoder().encodeToString(authFile.getBytes())))
                .build()).createOr(existing -> existing.update());
    }

    /**
     * A rendered MachineConfig whose Ignition config writes {@code files} (path to content), each as a
     * base64 data URL with the path first, the form the test base image's script reads.
     */
    public MachineConfig machineConfig(String name, Map<String, String> files) {
        Map<String, String> sources = new LinkedHashMap<>();
        files.forEach((path, content) -> sources.put(path, "data:;base64," + Base64.getEncoder().encodeToString(content.getBytes())));
        return machineConfigWithSources(name, sources);
    }

    /** A rendered MachineConfig writing {@code sources} (path to Ignition source URL, as given). */
    public MachineConfig machineConfigWithSources(String name, Map<String, String> sources) {
        List<Map<String, Object>> entries = sources.entrySet().stream().map(file -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", file.getKey());
            entry.put("contents", Map.of("source", file.getValue()));
            entry.put("mode", 420);
            return entry;
        }).toList();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ignition", Map.of("version", "3.2.0"));
        config.put("storage", Map.of("files", entries));
        MachineConfig machineConfig = new MachineConfigBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withConfig(config).withOsImageURL("").endSpec().build();
        return client.resources(MachineConfig.class).resource(machineConfig).create();
    }

    public MachineConfigPool pool(String name, String renderedConfig, boolean optedIn) {
        MachineConfigPool pool = new MachineConfigPoolBuilder().withNewMetadata().withName(name)
                .withLabels(optedIn ? Map.of(MachineConfigNames.LAYERING_LABEL, "") : Map.of()).endMetadata()
                .withNewSpec().withNewConfiguration().withName(renderedConfig).endConfiguration().endSpec().build();
        return client.resources(MachineConfigPool.class).resource(pool).create();
    }

    /**
     * A pool whose {@code spec.nodeSelector} selects the nodes labelled {@code role}, and one node of
     * that role per architecture (labelled {@code kubernetes.io/arch} as a kubelet labels its node).
     */
    public MachineConfigPool poolOnNodes(String name, String renderedConfig, String role, List<String> architectures) {
        for (String arch : architectures) {
            client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name + "-" + arch)
                    .withLabels(Map.of(role, "", "kubernetes.io/arch", arch, "kubernetes.io/os", "linux")).endMetadata().build()).create();
        }
        MachineConfigPool pool = new MachineConfigPoolBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewConfiguration().withName(renderedConfig).endConfiguration()
                .withNewNodeSelector().withMatchLabels(Map.of(role, "")).endNodeSelector().endSpec().build();
        return client.resources(MachineConfigPool.class).resource(pool).create();
    }

    public MachineConfigPool pool(String name) {
        return client.resources(MachineConfigPool.class).withName(name).get();
    }

    /** {@code spec.configuration.name} of pool {@code name} set to {@code rendered}, as an admin's edit does it. */
    public MachineConfigPool render(String name, String rendered) {
        return edit(MachineConfigPool.class, name, pool -> pool.getSpec().getConfiguration().setName(rendered));
    }

    /**
     * The cluster-scoped object {@code name} read, changed and written back, read again and retried on a
     * 409 as {@code kubectl edit} is: the controller under test writes the same object (its status and
     * annotations) at any moment, so a test's plain read-then-update races it (CI saw that 409 once).
     */
    public <T extends HasMetadata> T edit(Class<T> type, String name, Consumer<T> change) {
        java.util.concurrent.atomic.AtomicReference<T> written = new java.util.concurrent.atomic.AtomicReference<>();
        io.strata.testkit.kube.Conflicts.retrying(() -> {
            T object = client.resources(type).withName(name).get();
            change.accept(object);
            written.set(client.resources(type).resource(object).update());
        });
        return written.get();
    }

    @Override
    public void close() {
        fixture.close();
    }
}
