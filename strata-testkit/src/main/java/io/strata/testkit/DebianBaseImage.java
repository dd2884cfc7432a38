package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A real Debian bookworm root file system ({@code mmdebstrap --variant=essential}, about 20 s and
 * 140 MB), for tests that need real package data: dpkg's database of about 90 packages. Made once
 * per machine into the test kit's cache ({@code /var/tmp/strata-testkit-cache}, outside any user's
 * Strata directories), under a file lock so concurrent test runs make it once; a half-written
 * tarball never takes the final name.
 */
public final class DebianBaseImage {
    /** Where fixtures keep what is expensive to make and the same for every run on this machine. */
    public static final Path CACHE = Path.of("/var/tmp/strata-testkit-cache");
    private static final String TARBALL = "debian-bookworm-essential.tar";

    private DebianBaseImage() {}

    /** The cached root file system tarball, made first when missing. */
    public static Path tarball() {
        Path tar = CACHE.resolve(TARBALL);
        try {
            Files.createDirectories(CACHE);
            try (FileChannel channel = FileChannel.open(CACHE.resolve(TARBALL + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (!Files.isRegularFile(tar)) {
                    Path partial = CACHE.resolve("partial-" + ProcessHandle.current().pid() + "-" + TARBALL);
                    try {
                        Exec.of(List.of("mmdebstrap", "--quiet", "--variant=essential", "--format=tar", "bookworm", partial.toString())).run();
                        Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                }
            }
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the Debian base tarball in " + CACHE, e);
        }
    }

    /**
     * Pushes the Debian root file system as a one-layer linux/amd64 image to {@code registry} as
     * {@code repositoryAndTag} (e.g. "base/debian:12").
     *
     * @return the digest of the pushed manifest
     */
    public static String push(BuildahFixture buildah, RegistryFixture registry, String repositoryAndTag) {
        return buildah.pushRootfsImage(tarball(), registry, repositoryAndTag);
    }
}
