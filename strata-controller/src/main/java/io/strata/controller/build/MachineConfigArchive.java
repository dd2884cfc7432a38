package io.strata.controller.build;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * A MachineConfig as the build's {@code mc-R} ConfigMap carries it: its JSON, gzip-compressed, then
 * base64-encoded (a rendered MachineConfig can be larger than a ConfigMap's text limit uncompressed).
 */
public final class MachineConfigArchive {
    private MachineConfigArchive() {
    }

    public static String encode(MachineConfig machineConfig) {
        byte[] json = Serialization.asJson(machineConfig).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e); // a ByteArrayOutputStream does not fail
        }
        return Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(compressed.toByteArray()) + "\n";
    }
}
