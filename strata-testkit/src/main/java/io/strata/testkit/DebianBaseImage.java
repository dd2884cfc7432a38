package io.strata.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real Debian bookworm root file systems made with {@code mmdebstrap} from Debian's packages, for
 * tests that need real package data or real programs. Each is made once per machine into the test
 * kit's {@link MachineCache}.
 *
 * <ul>
 *   <li>{@link #tarball()}: {@code --variant=essential} (about 20 s and 140 MB): dpkg's database of
 *       about 90 packages, for the supply-chain tests.
 *   <li>{@link #workerTarball()}: the base of Strata's own image ({@code deploy/Containerfile}):
 *       essential plus buildah and what the worker runs beside it, slimmed (about 100 MB).
 * </ul>
 */
public final class DebianBaseImage {
    /** Where fixtures keep what is expensive to make and the same for every run on this machine. */
    public static final Path CACHE = MachineCache.DIRECTORY;
    private static final String TARBALL = "debian-bookworm-essential.tar";

    /**
     * The worker base's mmdebstrap options, as deploy/Containerfile documents them. {@code gpg} and
     * {@code netavark} are named so apt satisfies buildah's "gnupg | gpg" and "container-network-stack"
     * with the small alternatives (gnupg drags in perl, containernetworking-plugins is 45 MB); the
     * merged-usr hook lays out merged /usr without the usrmerge package (perl again); documentation,
     * manual pages and translations are not unpacked; unsafe I/O skips dpkg's fsyncs (a throwaway tree).
     */
    public static final List<String> WORKER_OPTIONS = List.of("--variant=essential",
            "--include=buildah,gpg,netavark,iproute2,iptables,ca-certificates",
            "--setup-hook=/usr/share/mmdebstrap/hooks/merged-usr/setup00.sh", "--dpkgopt=force-unsafe-io",
            "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
            "--dpkgopt=path-include=/usr/share/doc/*/copyright", "--dpkgopt=path-exclude=/usr/share/locale/*",
            "--dpkgopt=path-exclude=/usr/share/info/*", "--dpkgopt=path-exclude=/usr/share/lintian/*");

    private DebianBaseImage() {}

    /** The cached essential root file system tarball, made first when missing. */
    public static Path tarball() {
        return cached(TARBALL, List.of("--variant=essential"));
    }

    /**
     * The cached base of Strata's own image ({@link #WORKER_OPTIONS}), made first when missing. Its
     * name carries a hash of the options, so a changed package set is made anew, never served stale.
     */
    public static Path workerTarball() {
        return cached("debian-bookworm-worker-" + MachineCache.key(WORKER_OPTIONS) + ".tar", WORKER_OPTIONS);
    }

    private static Path cached(String name, List<String> options) {
        return MachineCache.file(name, partial -> {
            List<String> command = new ArrayList<>(List.of("mmdebstrap", "--quiet"));
            command.addAll(options);
            command.addAll(List.of("--format=tar", "bookworm", partial.toString()));
            Exec.of(command).run();
        });
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
