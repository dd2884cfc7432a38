package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The statically linked busybox of each platform, from Debian's {@code busybox-static} package of
 * that architecture ({@code dpkg --add-architecture} and {@code apt-get download}, unpacked with
 * {@code dpkg-deb -x}): foreign binaries that run under QEMU user emulation, so base images of
 * arm64, s390x and ppc64le can be made without internet access to a registry. The packages and
 * their unpacked trees are kept in the test kit's cache directory ({@link #cacheDir()}), so only the
 * first run on a machine downloads; a file lock keeps concurrent test JVMs from racing.
 * Debian's busybox-static is GPL-2.0 software by the BusyBox authors, used here as test data.
 */
public final class DebianBusybox {
    /** OCI architecture -> Debian architecture (Debian calls ppc64le ppc64el). */
    private static final Map<String, String> DEBIAN_ARCH = Map.of(
            "amd64", "amd64", "arm64", "arm64", "s390x", "s390x", "ppc64le", "ppc64el");

    private DebianBusybox() {}

    /** Where the test kit caches what it downloads: {@code -Dstrata.testkit.cache}, else under the temporary directory. */
    public static Path cacheDir() {
        return Path.of(Optional.ofNullable(System.getProperty("strata.testkit.cache"))
                .orElse(System.getProperty("java.io.tmpdir") + "/strata-testkit-cache"));
    }

    /** The busybox binary for an OCI architecture ({@code amd64}, {@code arm64}, {@code s390x}, {@code ppc64le}). */
    public static Path binary(String ociArch) {
        String debian = DEBIAN_ARCH.get(ociArch);
        if (debian == null) {
            throw new IllegalArgumentException("no Debian busybox for architecture " + ociArch + "; known: "
                    + DEBIAN_ARCH.keySet());
        }
        Path debs = cacheDir().resolve("debs");
        try {
            Files.createDirectories(debs);
            try (FileChannel channel = FileChannel.open(debs.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Path unpacked = debs.resolve("busybox-static-" + debian);
                Path busybox = unpacked.resolve("bin/busybox");
                if (!Files.isExecutable(busybox)) {
                    Path deb = cachedDeb(debs, debian).orElseGet(() -> download(debs, debian));
                    TempDirs.deleteRecursively(unpacked);
                    Exec.of(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString())).run();
                }
                return busybox;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the test kit's cache " + debs, e);
        }
    }

    private static Optional<Path> cachedDeb(Path debs, String debian) throws IOException {
        try (Stream<Path> files = Files.list(debs)) {
            return files.filter(f -> f.getFileName().toString().startsWith("busybox-static_")
                    && f.getFileName().toString().endsWith("_" + debian + ".deb")).findFirst();
        }
    }

    /** Makes the architecture known to dpkg/apt when it is not, then downloads the package into {@code debs}. */
    private static Path download(Path debs, String debian) {
        String nativeArch = Exec.of(List.of("dpkg", "--print-architecture")).run().strip();
        boolean known = debian.equals(nativeArch)
                || Exec.of(List.of("dpkg", "--print-foreign-architectures")).run().lines().anyMatch(debian::equals);
        if (!known) {
            Exec.of(List.of("dpkg", "--add-architecture", debian)).run();
            aptUpdate();
        }
        String fetch = "cd '" + debs + "' && apt-get -q -o APT::Sandbox::User=root download busybox-static:" + debian;
        try {
            Exec.of(List.of("sh", "-c", fetch)).run();
        } catch (FixtureException first) {
            aptUpdate(); // the package lists may predate the architecture
            Exec.of(List.of("sh", "-c", fetch)).run();
        }
        try {
            return cachedDeb(debs, debian).orElseThrow(() -> new FixtureException(
                    "apt-get download busybox-static:" + debian + " left no package in " + debs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void aptUpdate() {
        Exec.of(List.of("apt-get", "-q", "-o", "DPkg::Lock::Timeout=300", "update")).run();
    }
}
