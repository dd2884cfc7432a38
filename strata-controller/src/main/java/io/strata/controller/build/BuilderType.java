package io.strata.controller.build;

import java.util.Arrays;
import java.util.Optional;

/** The value of {@code imageBuilderType} in {@code on-cluster-build-config}: which builder runs a build. */
public enum BuilderType {
    /** An OpenShift Build (docker strategy) with the Dockerfile and MachineConfig ConfigMaps as inputs. The default. */
    OPENSHIFT_IMAGE_BUILDER("openshift-image-builder"),
    /** A Pod running buildah, which publishes the pushed digest in {@code digest-R}. */
    CUSTOM_POD_BUILDER("custom-pod-builder"),
    /** A batch Job running the same buildah pod, with a retry limit (the MachineOSBuild path). */
    JOB("Job");

    private final String value;

    BuilderType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<BuilderType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
