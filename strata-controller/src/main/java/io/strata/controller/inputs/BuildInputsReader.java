package io.strata.controller.inputs;

import static io.strata.controller.MachineConfigNames.BASE_IMAGE_PULL_SECRET_KEY;
import static io.strata.controller.MachineConfigNames.BASE_OS_IMAGE_KEY;
import static io.strata.controller.MachineConfigNames.BUILD_CONFIG_MAP;
import static io.strata.controller.MachineConfigNames.FINAL_IMAGE_PULLSPEC_KEY;
import static io.strata.controller.MachineConfigNames.FINAL_IMAGE_PUSH_SECRET_KEY;
import static io.strata.controller.MachineConfigNames.IMAGE_BUILDER_TYPE_KEY;
import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.OS_IMAGE_URL_CONFIG_MAP;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.build.BuilderType;
import io.strata.registry.ImageReference;
import io.strata.registry.RegistryException;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigSpec;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads {@code on-cluster-build-config}, {@code machine-config-osimageurl} and the secrets they name,
 * and checks them. Every problem is one {@link InputProblem} naming the object and key.
 */
public final class BuildInputsReader {
    private final KubernetesClient client;

    public BuildInputsReader(KubernetesClient client) {
        this.client = client;
    }

    /** The inputs, or the first problem found. */
    public Result read() {
        ConfigMap buildConfig = configMap(BUILD_CONFIG_MAP);
        if (buildConfig == null) {
            return missingConfigMap("BUILD_CONFIG_MISSING", BUILD_CONFIG_MAP,
                    "with the keys " + BASE_IMAGE_PULL_SECRET_KEY + ", " + FINAL_IMAGE_PUSH_SECRET_KEY + " and " + FINAL_IMAGE_PULLSPEC_KEY);
        }
        ConfigMap osImage = configMap(OS_IMAGE_URL_CONFIG_MAP);
        if (osImage == null) {
            return missingConfigMap("OS_IMAGE_CONFIG_MISSING", OS_IMAGE_URL_CONFIG_MAP, "with the key " + BASE_OS_IMAGE_KEY);
        }
        Map<String, String> build = data(buildConfig);
        for (String key : new String[] {BASE_IMAGE_PULL_SECRET_KEY, FINAL_IMAGE_PUSH_SECRET_KEY, FINAL_IMAGE_PULLSPEC_KEY}) {
            if (build.getOrDefault(key, "").isBlank()) {
                return problem("BUILD_CONFIG_INVALID", "ConfigMap " + NAMESPACE + "/" + BUILD_CONFIG_MAP + " has no key " + key
                        + ": add it (" + describe(key) + ")");
            }
        }
        String baseImage = data(osImage).getOrDefault(BASE_OS_IMAGE_KEY, "");
        if (baseImage.isBlank()) {
            return problem("OS_IMAGE_CONFIG_INVALID", "ConfigMap " + NAMESPACE + "/" + OS_IMAGE_URL_CONFIG_MAP + " has no key "
                    + BASE_OS_IMAGE_KEY + ": add it (the base OS image pullspec)");
        }
        ImageReference finalImage;
        try {
            finalImage = ImageReference.parse(build.get(FINAL_IMAGE_PULLSPEC_KEY).strip());
        } catch (RegistryException e) {
            return problem("FINAL_IMAGE_PULLSPEC_INVALID", "ConfigMap " + NAMESPACE + "/" + BUILD_CONFIG_MAP + " key "
                    + FINAL_IMAGE_PULLSPEC_KEY + ": " + e.getMessage() + "; " + e.hint());
        }
        try {
            ImageReference.parse(baseImage.strip());
        } catch (RegistryException e) {
            return problem("OS_IMAGE_CONFIG_INVALID", "ConfigMap " + NAMESPACE + "/" + OS_IMAGE_URL_CONFIG_MAP + " key "
                    + BASE_OS_IMAGE_KEY + ": " + e.getMessage() + "; " + e.hint());
        }
        String typeName = build.getOrDefault(IMAGE_BUILDER_TYPE_KEY, "").strip();
        Optional<BuilderType> type = typeName.isEmpty() ? Optional.of(BuilderType.OPENSHIFT_IMAGE_BUILDER) : BuilderType.of(typeName)
                .filter(t -> t != BuilderType.JOB);
        if (type.isEmpty()) {
            return problem("BUILD_CONFIG_INVALID", "ConfigMap " + NAMESPACE + "/" + BUILD_CONFIG_MAP + " key "
                    + IMAGE_BUILDER_TYPE_KEY + " is \"" + typeName + "\": use " + BuilderType.OPENSHIFT_IMAGE_BUILDER.value()
                    + " (the default) or " + BuilderType.CUSTOM_POD_BUILDER.value());
        }
        for (String key : new String[] {BASE_IMAGE_PULL_SECRET_KEY, FINAL_IMAGE_PUSH_SECRET_KEY}) {
            String secret = build.get(key).strip();
            if (client.secrets().inNamespace(NAMESPACE).withName(secret).get() == null) {
                return problem("BUILD_SECRET_MISSING", "Secret " + NAMESPACE + "/" + secret + " (named by " + BUILD_CONFIG_MAP + " key "
                        + key + ") does not exist: create it (type kubernetes.io/dockerconfigjson) or name another");
            }
        }
        return new Result.Ready(new BuildInputs(build.get(BASE_IMAGE_PULL_SECRET_KEY).strip(),
                build.get(FINAL_IMAGE_PUSH_SECRET_KEY).strip(), finalImage, type.get(), baseImage.strip()));
    }

    /**
     * The inputs of a MachineOSConfig's build: its secrets and push spec, the base image of
     * {@code machine-config-osimageurl}, the Job builder.
     */
    public Result readFor(String name, MachineOSConfigSpec spec) {
        ConfigMap osImage = configMap(OS_IMAGE_URL_CONFIG_MAP);
        if (osImage == null) {
            return missingConfigMap("OS_IMAGE_CONFIG_MISSING", OS_IMAGE_URL_CONFIG_MAP, "with the key " + BASE_OS_IMAGE_KEY);
        }
        String baseImage = data(osImage).getOrDefault(BASE_OS_IMAGE_KEY, "").strip();
        String where = "MachineOSConfig " + name;
        String pull = spec.getBaseImagePullSecret() == null ? "" : Objects.toString(spec.getBaseImagePullSecret().getName(), "");
        String push = spec.getRenderedImagePushSecret() == null ? "" : Objects.toString(spec.getRenderedImagePushSecret().getName(), "");
        if (pull.isBlank() || push.isBlank()) {
            return problem("MACHINE_OS_CONFIG_INVALID", where + " names no " + (pull.isBlank() ? "spec.baseImagePullSecret" : "spec.renderedImagePushSecret")
                    + ": set it to the Secret (in " + NAMESPACE + ") that " + (pull.isBlank() ? "pulls the base image" : "pushes the built image"));
        }
        ImageReference finalImage;
        try {
            finalImage = ImageReference.parse(Objects.toString(spec.getRenderedImagePushSpec(), "").strip());
        } catch (RegistryException e) {
            return problem("FINAL_IMAGE_PULLSPEC_INVALID", where + " spec.renderedImagePushSpec: " + e.getMessage() + "; " + e.hint());
        }
        if (baseImage.isBlank()) {
            return problem("OS_IMAGE_CONFIG_INVALID", "ConfigMap " + NAMESPACE + "/" + OS_IMAGE_URL_CONFIG_MAP + " has no key "
                    + BASE_OS_IMAGE_KEY + ": add it (the base OS image pullspec)");
        }
        for (String secret : new String[] {pull, push}) {
            if (client.secrets().inNamespace(NAMESPACE).withName(secret.strip()).get() == null) {
                return problem("BUILD_SECRET_MISSING", "Secret " + NAMESPACE + "/" + secret.strip() + " (named by " + where
                        + ") does not exist: create it (type kubernetes.io/dockerconfigjson) or name another");
            }
        }
        return new Result.Ready(new BuildInputs(pull.strip(), push.strip(), finalImage, BuilderType.JOB, baseImage));
    }

    private static String describe(String key) {
        return switch (key) {
            case BASE_IMAGE_PULL_SECRET_KEY -> "the Secret that pulls the base OS image";
            case FINAL_IMAGE_PUSH_SECRET_KEY -> "the Secret that pushes the built image";
            default -> "where the built image is pushed, e.g. registry.example.com/os/layered:latest";
        };
    }

    private ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(NAMESPACE).withName(name).get();
    }

    private static Map<String, String> data(ConfigMap configMap) {
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }

    private static Result missingConfigMap(String reason, String name, String content) {
        return problem(reason, "ConfigMap " + NAMESPACE + "/" + name + " does not exist: create it " + content);
    }

    private static Result problem(String reason, String message) {
        return new Result.Invalid(new InputProblem(reason, message));
    }

    /** The inputs of a build, or why there are none. */
    public sealed interface Result {
        record Ready(BuildInputs inputs) implements Result {
        }

        record Invalid(InputProblem problem) implements Result {
        }
    }
}
