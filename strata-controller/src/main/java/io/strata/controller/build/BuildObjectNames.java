package io.strata.controller.build;

import io.strata.controller.MachineConfigNames;

/**
 * The names of what one build is made of: the builder object (Build, Pod or Job), the Dockerfile and
 * MachineConfig ConfigMaps, and the ConfigMap the custom pod publishes its digest in.
 */
public record BuildObjectNames(String builder, String dockerfile, String machineConfig, String digest) {

    /** The seed's names, after the pool's rendered MachineConfig {@code R}: build-R, dockerfile-R, mc-R, digest-R. */
    public static BuildObjectNames forRenderedConfig(String renderedConfig) {
        return new BuildObjectNames(MachineConfigNames.buildName(renderedConfig), MachineConfigNames.dockerfileConfigMap(renderedConfig),
                MachineConfigNames.machineConfigMap(renderedConfig), MachineConfigNames.digestConfigMap(renderedConfig));
    }

    /** The MachineOSBuild path's names, after the build's (hashed) name. */
    public static BuildObjectNames forMachineOSBuild(String machineOSBuild) {
        return new BuildObjectNames("build-" + machineOSBuild, "containerfile-" + machineOSBuild, "mc-" + machineOSBuild,
                "digest-" + machineOSBuild);
    }

    /** The names of one architecture's part of a MachineOSBuild of several: {@code build-NAME-ARCH}, and so on. */
    public static BuildObjectNames forMachineOSBuild(String machineOSBuild, String architecture) {
        return forMachineOSBuild(machineOSBuild + "-" + architecture);
    }
}
