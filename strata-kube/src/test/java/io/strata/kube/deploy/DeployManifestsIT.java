package io.strata.kube.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.kube.MockKubeFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in {@code deploy/} stay valid: kubectl (the one installed here) applies them in a
 * client-side dry run against the mock API server (kubectl needs a server for its discovery), every
 * document binds to fabric8's typed model without unknown fields, and the RBAC stays least
 * privilege: namespaced Roles, named verbs and resources, no wildcard.
 */
class DeployManifestsIT {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @Test
    void kubectlAppliesEveryManifestInADryRun() throws Exception {
        try (MockKubeFixture cluster = MockKubeFixture.start().withDiscovery()) {
            Process process = ChildEnvironment.of(home).with("KUBECONFIG", cluster.kubeconfig().toString())
                    .processBuilder(List.of("kubectl", "apply", "--dry-run=client", "--validate=false", "-f", DEPLOY.toString()))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor()).as(output).isZero();
            assertThat(output).contains("deployment.apps/strata created (dry run)", "service/strata created (dry run)",
                    "serviceaccount/strata created (dry run)", "serviceaccount/strata-worker created (dry run)",
                    "role.rbac.authorization.k8s.io/strata-service created (dry run)",
                    "configmap/strata-config created (dry run)");
        }
    }

    @Test
    void everyDocumentBindsToTheModelWithoutUnknownFields() throws IOException {
        List<HasMetadata> objects = objects();
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ServiceAccount", "Role",
                "RoleBinding", "ConfigMap");
        for (HasMetadata object : objects) {
            assertThat(unknownFields(object, object.getKind())).as(object.getKind() + " " + object.getMetadata().getName()
                    + " has fields the API does not know").isEmpty();
        }
    }

    @Test
    void theRolesAreNamespacedAndNameEveryVerbAndResource() throws IOException {
        List<Role> roles = objects().stream().filter(o -> o instanceof Role).map(o -> (Role) o).toList();
        assertThat(roles).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder("strata-service", "strata-worker");
        assertThat(objects()).noneMatch(o -> o.getKind().startsWith("Cluster"));
        for (Role role : roles) {
            for (PolicyRule rule : role.getRules()) {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*");
                assertThat(rule.getApiGroups()).doesNotContain("*");
            }
        }
        Role worker = roles.stream().filter(r -> r.getMetadata().getName().equals("strata-worker")).findFirst().orElseThrow();
        assertThat(worker.getRules()).flatExtracting(PolicyRule::getResources).containsOnly("pods", "configmaps");
        assertThat(worker.getRules()).flatExtracting(PolicyRule::getResources).doesNotContain("secrets");
    }

    static List<HasMetadata> objects() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                        KubernetesResource resource = Serialization.unmarshal(document);
                        objects.add((HasMetadata) resource);
                    }
                }
            }
        }
        return objects;
    }

    /**
     * Fields the typed model kept only as "additional properties" (a typo, a field at the wrong level),
     * anywhere in the object: fabric8's model accepts unknown fields there instead of failing.
     */
    static List<String> unknownFields(Object object, String path) {
        List<String> unknown = new ArrayList<>();
        if (object instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknown.addAll(unknownFields(list.get(i), path + "[" + i + "]"));
            }
            return unknown;
        }
        if (object == null || !object.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return unknown;
        }
        for (var method : object.getClass().getMethods()) {
            if (!method.getName().startsWith("get") || method.getParameterCount() != 0 || method.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = method.invoke(object);
                if (method.getName().equals("getAdditionalProperties")) {
                    ((java.util.Map<?, ?>) value).keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    unknown.addAll(unknownFields(value, path + "." + method.getName().substring(3)));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return unknown;
    }

    @Test
    void theUnknownFieldCheckFindsATypo() {
        HasMetadata typo = (HasMetadata) Serialization.unmarshal("apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
                + "spec:\n  selectr: {app: x}\n");
        assertThat(unknownFields(typo, "Service")).containsExactly("Service.Spec.selectr");
    }
}
