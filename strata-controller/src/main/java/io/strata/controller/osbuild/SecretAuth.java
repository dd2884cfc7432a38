package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.registry.RegistryAuthFile;
import io.strata.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The registry credentials of a {@code kubernetes.io/dockerconfigjson} Secret, read into memory for the
 * controller's own registry calls (the reuse check, the image index); never written anywhere.
 */
final class SecretAuth {
    private static final String KEY = ".dockerconfigjson";

    private SecretAuth() {
    }

    /** The Secret's credentials; none when it is gone or holds no auth file (the registry then decides). */
    static RegistryAuthFile of(KubernetesClient client, String secretName) throws RegistryException {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(secretName).get();
        Map<String, String> data = secret == null || secret.getData() == null ? Map.of() : secret.getData();
        if (!data.containsKey(KEY)) {
            return RegistryAuthFile.none();
        }
        String json = new String(Base64.getMimeDecoder().decode(data.get(KEY)), StandardCharsets.UTF_8);
        return RegistryAuthFile.fromJson(json, "Secret " + NAMESPACE + "/" + secretName);
    }
}
