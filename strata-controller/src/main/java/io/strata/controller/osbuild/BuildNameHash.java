package io.strata.controller.osbuild;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a MachineOSBuild: its MachineOSConfig's name and a hash of everything the image is made
 * of (the pool's rendered MachineConfig, the MachineOSConfig's spec, the base image, the architectures
 * it is built for: a node of a new architecture joining the pool needs a new image). The same
 * inputs give the same name, which is how a finished build is found and reused instead of rebuilt.
 */
public final class BuildNameHash {
    private BuildNameHash() {
    }

    public static String name(String machineOSConfig, String renderedConfig, MachineOSConfigSpec spec, String baseImage,
            java.util.List<String> architectures) {
        String text = renderedConfig + "\n" + Serialization.asJson(spec) + "\n" + baseImage + "\n" + String.join(",", architectures);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return machineOSConfig + "-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
