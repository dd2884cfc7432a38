package io.strata.controller;

/**
 * The names the machine-config-operator uses for on-cluster builds. They are fixed on purpose: tools
 * and scripts written for the operator's BuildController work against Strata's controller unchanged.
 */
public final class MachineConfigNames {
    /** Where every object of a pool's build lives. */
    public static final String NAMESPACE = "openshift-machine-config-operator";
    /** The label a MachineConfigPool carries to opt in to layered OS image builds. */
    public static final String LAYERING_LABEL = "machineconfiguration.openshift.io/layering-enabled";
    /** Set on the pool after a successful build: the pushed image by digest. */
    public static final String NEWEST_IMAGE_ANNOTATION = "machineconfiguration.openshift.io/newestImageEquivalentConfig";

    public static final String BUILD_CONFIG_MAP = "on-cluster-build-config";
    public static final String BASE_IMAGE_PULL_SECRET_KEY = "baseImagePullSecretName";
    public static final String FINAL_IMAGE_PUSH_SECRET_KEY = "finalImagePushSecretName";
    public static final String FINAL_IMAGE_PULLSPEC_KEY = "finalImagePullspec";
    public static final String IMAGE_BUILDER_TYPE_KEY = "imageBuilderType";

    public static final String OS_IMAGE_URL_CONFIG_MAP = "machine-config-osimageurl";
    public static final String BASE_OS_IMAGE_KEY = "baseOSContainerImage";

    /** Key of the Dockerfile in {@code dockerfile-R}. */
    public static final String DOCKERFILE_KEY = "Dockerfile";
    /** Key of the gzip-compressed, base64-encoded MachineConfig in {@code mc-R}. */
    public static final String MACHINE_CONFIG_KEY = "machineconfig.json.gz";
    /** Key of the pushed digest in {@code digest-R}. */
    public static final String DIGEST_KEY = "digest";

    /** Labels Strata puts on everything it makes for a build, so it finds and removes them again. */
    public static final String POOL_LABEL = "machineconfiguration.openshift.io/pool";
    public static final String RENDERED_CONFIG_LABEL = "machineconfiguration.openshift.io/rendered-config";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "strata-controller";

    private MachineConfigNames() {
    }

    public static String dockerfileConfigMap(String renderedConfig) {
        return "dockerfile-" + renderedConfig;
    }

    public static String machineConfigMap(String renderedConfig) {
        return "mc-" + renderedConfig;
    }

    public static String buildName(String renderedConfig) {
        return "build-" + renderedConfig;
    }

    public static String digestConfigMap(String renderedConfig) {
        return "digest-" + renderedConfig;
    }
}
