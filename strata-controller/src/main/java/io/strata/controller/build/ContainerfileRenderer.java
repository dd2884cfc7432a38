package io.strata.controller.build;

import static io.strata.controller.MachineConfigNames.MACHINE_CONFIG_KEY;

/**
 * Renders the Dockerfile of a layered build: the base OS image, the MachineConfig decoded from the
 * build context into {@code /etc/machine-config-daemon/currentconfig} and handed to the OS
 * configuration tool of the image, labels naming the pool and the rendered MachineConfig, then any
 * lines the MachineOSConfig appends.
 */
public final class ContainerfileRenderer {
    /** Where the MachineConfig ConfigMap's key lands in the build context. */
    public static final String CONTEXT_DIRECTORY = "machineconfig";

    private final String osConfigTool;

    public ContainerfileRenderer(String osConfigTool) {
        this.osConfigTool = osConfigTool;
    }

    public String render(String baseImage, String pool, String renderedConfig, String appended) {
        String archive = CONTEXT_DIRECTORY + "/" + MACHINE_CONFIG_KEY;
        StringBuilder file = new StringBuilder()
                .append("# Rendered by strata controller for MachineConfigPool ").append(pool).append(", MachineConfig ")
                .append(renderedConfig).append(".\n")
                .append("FROM ").append(baseImage).append("\n")
                .append("COPY ").append(archive).append(" /tmp/").append(MACHINE_CONFIG_KEY).append("\n")
                // The ConfigMap holds base64 text of the gzip stream; the image needs only base64 and gunzip.
                .append("RUN mkdir -p /etc/machine-config-daemon && \\\n")
                .append("    base64 -d /tmp/").append(MACHINE_CONFIG_KEY).append(" | gunzip > /etc/machine-config-daemon/currentconfig && \\\n")
                .append("    rm /tmp/").append(MACHINE_CONFIG_KEY).append(" && \\\n")
                .append("    ").append(osConfigTool).append(" /etc/machine-config-daemon/currentconfig\n")
                .append("LABEL machineconfiguration.openshift.io/pool=\"").append(pool).append("\" \\\n")
                .append("      machineconfiguration.openshift.io/rendered-config=\"").append(renderedConfig).append("\"\n");
        if (!appended.isBlank()) {
            file.append("# Appended by the MachineOSConfig:\n").append(appended.strip()).append("\n");
        }
        return file.toString();
    }
}
