package io.strata.controller;

/**
 * How the controller's builds run, from {@code strata controller}'s options.
 *
 * @param builderImage the image of the custom build pod and of Job builds: buildah and kubectl
 * @param osConfigTool the command in the base OS image that applies a MachineConfig, called with the
 *                     path of its JSON (Ignition's wrapper in real OS images; a small script in tests)
 * @param tlsVerify    whether buildah checks registry TLS (off only for a plain-HTTP test registry)
 * @param jobRetries   how often a Job build is retried before it fails (the Job's backoffLimit)
 */
public record ControllerSettings(String builderImage, String osConfigTool, boolean tlsVerify, int jobRetries) {
    public static final String DEFAULT_BUILDER_IMAGE = "quay.io/buildah/stable:latest";
    public static final String DEFAULT_OS_CONFIG_TOOL = "/usr/libexec/strata/apply-machineconfig";

    public static ControllerSettings defaults() {
        return new ControllerSettings(DEFAULT_BUILDER_IMAGE, DEFAULT_OS_CONFIG_TOOL, true, 3);
    }

    public ControllerSettings withTlsVerify(boolean verify) {
        return new ControllerSettings(builderImage, osConfigTool, verify, jobRetries);
    }

    public ControllerSettings withBuilderImage(String image) {
        return new ControllerSettings(image, osConfigTool, tlsVerify, jobRetries);
    }
}
