package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * buildah with a private storage root and runroot in a temporary directory, so tests never touch
 * the machine's image storage. Uses the vfs storage driver: slower than overlay but works on any
 * filesystem and kernel, including inside containers and on this VM.
 *
 * <p>Also makes tiny base images from busybox-static, because tests have no internet to pull one.
 */
public final class BuildahFixture implements AutoCloseable {
    /** vfs copies layers instead of mounting them: no kernel overlay support needed, nothing left mounted. */
    public static final String STORAGE_DRIVER = "vfs";
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private final Path directory;
    private final Path storageRoot;
    private final Path runRoot;

    private BuildahFixture(Path directory) {
        this.directory = directory;
        this.storageRoot = directory.resolve("root");
        this.runRoot = directory.resolve("runroot");
    }

    public static BuildahFixture create() {
        return new BuildahFixture(TempDirs.create("buildah"));
    }

    public Path storageRoot() {
        return storageRoot;
    }

    public Path runRoot() {
        return runRoot;
    }

    public String storageDriver() {
        return STORAGE_DRIVER;
    }

    /** Runs buildah against this fixture's storage; returns standard output or throws with standard error. */
    public String buildah(String... arguments) {
        return exec(List.of(arguments));
    }

    private String exec(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("buildah",
                "--root", storageRoot.toString(), "--runroot", runRoot.toString(), "--storage-driver", STORAGE_DRIVER));
        command.addAll(arguments);
        return Exec.of(command).run();
    }

    /**
     * Builds a single-layer linux/amd64 image holding /bin/busybox with a symbolic link for every
     * applet (sh, ls, cat, echo, mkdir, rm, ...), {@code CMD ["/bin/sh"]}, and pushes it to
     * {@code registry} as {@code repositoryAndTag} (e.g. "base/busybox:1").
     *
     * @return the digest of the pushed manifest ("sha256:...")
     */
    public String makeBusyboxBaseImage(String repositoryAndTag, RegistryFixture registry) {
        String local = commitBusyboxImage("amd64");
        return push(List.of("push"), local, registry, repositoryAndTag);
    }

    /**
     * Pushes a manifest list (OCI index) for {@code repositoryAndTag} holding two busybox images, one
     * for linux/amd64 and one labelled linux/arm64, so clients can be tested choosing a platform.
     * The arm64 entry reuses the amd64 busybox binary: it is only ever inspected, never run.
     *
     * @return the digest of the pushed manifest list
     */
    public String makeManifestListBaseImage(String repositoryAndTag, RegistryFixture registry) {
        String list = "strata-list-" + Long.toHexString(System.nanoTime());
        buildah("manifest", "create", list);
        for (String arch : List.of("amd64", "arm64")) {
            buildah("manifest", "add", "--os", "linux", "--arch", arch, list,
                    "containers-storage:" + commitBusyboxImage(arch));
        }
        return push(List.of("manifest", "push", "--all"), list, registry, repositoryAndTag);
    }

    /**
     * Pushes one index (OCI) for {@code repositoryAndTag} holding a busybox image per OCI
     * architecture in {@code arches} ({@code amd64}, {@code arm64}, {@code s390x}, {@code ppc64le}),
     * each with that architecture's own busybox from Debian ({@link DebianBusybox}): RUN steps of a
     * build on it run that platform's binaries, under QEMU user emulation when foreign.
     *
     * @return the digest of the pushed index
     */
    public String makeMultiPlatformBusyboxImage(String repositoryAndTag, RegistryFixture registry, List<String> arches) {
        String list = "strata-list-" + Long.toHexString(System.nanoTime());
        buildah("manifest", "create", list);
        for (String arch : arches) {
            Path busybox = arch.equals("amd64") ? BUSYBOX : DebianBusybox.binary(arch);
            buildah("manifest", "add", "--os", "linux", "--arch", arch, list,
                    "containers-storage:" + commitBusyboxImage(arch, busybox));
        }
        return push(List.of("manifest", "push", "--all", "--format", "oci"), list, registry, repositoryAndTag);
    }

    /**
     * Makes a one-layer linux/amd64 image of the root file system in {@code rootfsTar} (device
     * nodes left out: a container gets its own) and pushes it as {@code repositoryAndTag}.
     *
     * @return the digest of the pushed manifest
     */
    public String pushRootfsImage(Path rootfsTar, RegistryFixture registry, String repositoryAndTag) {
        return pushRootfsImage(List.of(rootfsTar), registry, repositoryAndTag);
    }

    /**
     * As {@link #pushRootfsImage(Path, RegistryFixture, String)}, with the trees of several tarballs
     * laid over each other in order into the one layer (a root file system, then a tree for /opt).
     */
    public String pushRootfsImage(List<Path> rootfsTars, RegistryFixture registry, String repositoryAndTag) {
        String image = "localhost/strata-rootfs-" + Long.toHexString(System.nanoTime());
        String container = buildah("from", "--arch", "amd64", "scratch").strip();
        try {
            Path rootfs = Path.of(buildah("mount", container).strip());
            for (Path tar : rootfsTars) {
                Exec.of(List.of("tar", "-C", rootfs.toString(), "--exclude=./dev/*", "-xf", tar.toString())).run();
            }
            buildah("umount", container);
            buildah("config", "--cmd", "/bin/sh", "--os", "linux", "--arch", "amd64", container);
            buildah("commit", "--quiet", container, image);
        } finally {
            buildah("rm", container);
        }
        return push(List.of("push"), image, registry, repositoryAndTag);
    }

    private String commitBusyboxImage(String arch) {
        return commitBusyboxImage(arch, BUSYBOX);
    }

    private String commitBusyboxImage(String arch, Path busybox) {
        String image = "localhost/strata-busybox-" + arch + "-" + Long.toHexString(System.nanoTime());
        String container = buildah("from", "--arch", arch, "scratch").strip();
        try {
            Path rootfs = Path.of(buildah("mount", container).strip());
            installBusybox(rootfs, busybox);
            buildah("umount", container);
            buildah("config", "--cmd", "/bin/sh", "--os", "linux", "--arch", arch, container);
            buildah("commit", "--quiet", container, image);
            return image;
        } finally {
            buildah("rm", container);
        }
    }

    /** Lays busybox out on the host side of the mount: no container process needed, so no runtime quirks. */
    private static void installBusybox(Path rootfs, Path busybox) {
        try {
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            for (String dir : List.of("tmp", "etc", "root", "proc", "sys", "dev")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            // The host's busybox names the applets: the same Debian version on every architecture.
            for (String applet : Exec.of(List.of(BUSYBOX.toString(), "--list")).run().lines().toList()) {
                if (!applet.isBlank() && !applet.equals("busybox")) {
                    Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out busybox in " + rootfs, e);
        }
    }

    private String push(List<String> pushCommand, String source, RegistryFixture registry, String repositoryAndTag) {
        Path digestFile = directory.resolve("digest-" + System.nanoTime());
        Path authFile = registry.writeAuthFile(directory.resolve("auth-" + System.nanoTime() + ".json"));
        try {
            List<String> arguments = new ArrayList<>(pushCommand);
            arguments.addAll(List.of("--tls-verify=false", "--authfile", authFile.toString(),
                    "--digestfile", digestFile.toString(), source, "docker://" + registry.reference(repositoryAndTag)));
            exec(arguments);
            return Files.readString(digestFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("buildah wrote no digest file for " + repositoryAndTag, e);
        } finally {
            deleteQuietly(authFile);
            deleteQuietly(digestFile);
        }
    }

    /** Removes every container and image in the private storage, then the storage itself. */
    @Override
    public void close() {
        try {
            buildah("rm", "--all");
            buildah("rmi", "--all", "--force");
        } catch (FixtureException e) {
            // Storage that buildah cannot read any more is still deleted below.
        } finally {
            TempDirs.deleteRecursively(directory);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover file in the fixture's temporary directory goes with close()
        }
    }
}
