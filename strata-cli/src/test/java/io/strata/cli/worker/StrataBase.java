package io.strata.cli.worker;

import io.strata.testkit.BuildahFixture;
import io.strata.testkit.MachineCache;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The base of Strata's own image in a test's registry: the Debian worker root file system and the
 * Java runtime laid into one layer by buildah, as deploy/Containerfile says. buildah's import
 * (unpacking, committing and gzipping some 200 MB into vfs storage) is the same on every run of a
 * machine, so its pushed form is kept as a {@code dir:} image in the {@link MachineCache} (blobs
 * compressed, manifest as buildah pushed it) and later runs copy that to the registry with skopeo,
 * byte for byte, with the same digest.
 */
final class StrataBase {
    private StrataBase() {}

    static void push(BuildahFixture buildah, RegistryFixture registry, String repositoryAndTag, List<Path> tarballs)
            throws IOException {
        String key = MachineCache.key(tarballs.stream().map(tar -> tar.getFileName().toString()).toList());
        boolean[] made = {false};
        Path image = MachineCache.file("strata-base-" + key, partial -> {
            buildah.pushRootfsImage(tarballs, registry, repositoryAndTag);
            Processes.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                    "docker://" + registry.reference(repositoryAndTag), "dir:" + partial));
            made[0] = true;
        });
        if (!made[0]) {
            Processes.run(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "dir:" + image,
                    "docker://" + registry.reference(repositoryAndTag)));
        }
    }
}
