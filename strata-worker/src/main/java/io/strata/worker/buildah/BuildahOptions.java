package io.strata.worker.buildah;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to call buildah on this machine. Null {@code root}, {@code runroot}, {@code storageDriver} or
 * {@code authFile} mean "buildah's own default" (containers-storage.conf, the user's auth.json):
 * that is what users' machines want; tests point all of them at private temporary places.
 *
 * @param tlsVerify false only for plain-HTTP registries such as a test registry on loopback
 */
public record BuildahOptions(Path root, Path runroot, String storageDriver, Path authFile, boolean tlsVerify) {

    /** buildah as configured on this machine, verifying TLS. */
    public static BuildahOptions systemDefault() {
        return new BuildahOptions(null, null, null, null, true);
    }

    /**
     * Storage of its own under {@code root}/{@code runroot}, with the vfs driver: works on any
     * filesystem and kernel without mounts (tests, the demo). The system's storage is never touched.
     */
    public static BuildahOptions privateStorage(Path root, Path runroot) {
        return new BuildahOptions(root, runroot, "vfs", null, true);
    }

    public BuildahOptions withAuthFile(Path file) {
        return new BuildahOptions(root, runroot, storageDriver, file, tlsVerify);
    }

    public BuildahOptions withTlsVerify(boolean verify) {
        return new BuildahOptions(root, runroot, storageDriver, authFile, verify);
    }

    /** Options that go before the subcommand: which storage to use. */
    List<String> globalArguments() {
        List<String> arguments = new ArrayList<>();
        if (root != null) {
            arguments.addAll(List.of("--root", root.toString()));
        }
        if (runroot != null) {
            arguments.addAll(List.of("--runroot", runroot.toString()));
        }
        if (storageDriver != null) {
            arguments.addAll(List.of("--storage-driver", storageDriver));
        }
        return arguments;
    }

    /** Options for subcommands that talk to registries (bud, pull, push, from). */
    List<String> registryArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add("--tls-verify=" + tlsVerify);
        if (authFile != null) {
            arguments.addAll(List.of("--authfile", authFile.toString()));
        }
        return arguments;
    }
}
