package io.strata.controller.kubelet;

import io.strata.testkit.BuildParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The tests' base OS image: the test kit's busybox image with a small stand-in for Ignition at
 * {@link io.strata.controller.ControllerSettings#DEFAULT_OS_CONFIG_TOOL}. It writes every
 * {@code storage.files} entry of the MachineConfig it is given whose source is a base64 data URL
 * (written path first, as the tests write them), and fails on a source that does not decode. When
 * the config wrote {@code /etc/strata-test/hold}, it then waits until the URL in that file answers
 * 200: how a test holds a build in its RUN step (buildah's chroot isolation shares the host network).
 */
public final class OsBaseImage {
    static final String APPLY = """
            #!/bin/sh
            set -eu
            tr -d '\\n' < "$1" | grep -o '"path":"[^"]*","contents":{"source":"data:;base64,[^"]*"' | while IFS= read -r entry; do
              path=${entry#\\"path\\":\\"}
              path=${path%%\\"*}
              data=${entry##*base64,}
              data=${data%\\"}
              mkdir -p "$(dirname "$path")"
              printf '%s' "$data" | base64 -d > "$path"
            done
            if [ -f /etc/strata-test/hold ]; then
              until wget -q -O /dev/null "$(cat /etc/strata-test/hold)"; do sleep 0.2; done
            fi
            """;

    private OsBaseImage() {
    }

    /**
     * The same image for each of {@code arches}, as one OCI index: built from a busybox index of those
     * architectures (Debian's busybox per architecture, run under QEMU when foreign); returns its reference.
     */
    public static String makeMultiArch(BuildParts parts, String repositoryAndTag, List<String> arches) {
        var buildah = parts.buildah();
        String base = "base/busybox-multi:1";
        buildah.makeMultiPlatformBusyboxImage(base, parts.registry(), arches);
        String list = "strata-test-os-list-" + System.nanoTime();
        buildah.buildah("manifest", "create", list);
        for (String arch : arches) {
            buildah.buildah("manifest", "add", "--os", "linux", "--arch", arch, list,
                    "containers-storage:" + commitWithTool(parts, parts.registry().reference(base), arch));
        }
        String reference = parts.registry().reference(repositoryAndTag);
        buildah.buildah("manifest", "push", "--all", "--format", "oci", "--tls-verify=false", list, "docker://" + reference);
        return reference;
    }

    /** Builds the image from {@code parts}' busybox base and pushes it; returns its reference. */
    public static String make(BuildParts parts, String repositoryAndTag) {
        String local = commitWithTool(parts, parts.baseImage(), null);
        String reference = parts.registry().reference(repositoryAndTag);
        parts.buildah().buildah("push", "--tls-verify=false", local, "docker://" + reference);
        return reference;
    }

    /** {@code base} (for {@code arch}, or the host's when null) with the tool installed, committed locally; returns its name. */
    private static String commitWithTool(BuildParts parts, String base, String arch) {
        var buildah = parts.buildah();
        List<String> from = new java.util.ArrayList<>(List.of("from", "--tls-verify=false"));
        if (arch != null) {
            from.addAll(List.of("--arch", arch));
        }
        from.add("docker://" + base);
        String container = buildah.buildah(from.toArray(String[]::new)).strip();
        try {
            Path rootfs = Path.of(buildah.buildah("mount", container).strip());
            Path tool = rootfs.resolve("usr/libexec/strata/apply-machineconfig");
            Files.createDirectories(tool.getParent());
            Files.writeString(tool, APPLY);
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
            buildah.buildah("umount", container);
            String local = "localhost/strata-test-os:" + System.nanoTime();
            buildah.buildah("commit", "--quiet", container, local);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the test's apply-machineconfig", e);
        } finally {
            buildah.buildah("rm", container);
        }
    }
}
