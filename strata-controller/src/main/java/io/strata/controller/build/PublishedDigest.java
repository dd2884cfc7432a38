package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.DIGEST_KEY;
import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the digest a builder pod published in {@code digest-R}. */
final class PublishedDigest {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private PublishedDigest() {
    }

    /** The digest, or why there is none, as the failure it is for a pod that says it succeeded. */
    static BuildProgress of(KubernetesClient client, LayeredBuild build) {
        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName(build.names().digest()).get();
        String digest = Optional.ofNullable(configMap).map(ConfigMap::getData).map(data -> data.get(DIGEST_KEY)).orElse("").strip();
        if (!DIGEST.matcher(digest).matches()) {
            return new BuildProgress.Failed("BUILD_DIGEST_MISSING", "the builder ended without publishing a digest in ConfigMap "
                    + NAMESPACE + "/" + build.names().digest() + " (key " + DIGEST_KEY + "): see the builder's log");
        }
        return new BuildProgress.Succeeded(digest);
    }
}
