package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.worker.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How `buildah bud` is started for each network: through the build's namespace prefix with the
 * allow-list's names pinned, or inside `unshare --net`. A stand-in program records its command
 * line (and the prefix is `env`, which runs it unchanged), so no namespace is needed.
 */
class BudNetworkCommandIT {
    @TempDir
    Path dir;

    private Path fakeBuildah() throws Exception {
        Path program = dir.resolve("fake-buildah");
        Files.writeString(program, """
                #!/bin/sh
                echo "$0 $*" > "$(dirname "$0")/args.txt"
                readlink /proc/self/ns/net > "$(dirname "$0")/netns.txt"
                while [ $# -gt 0 ]; do
                  if [ "$1" = --iidfile ]; then echo sha256:feed > "$2"; fi
                  shift
                done
                """);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    @Test
    void aBuildWithANamespaceRunsThroughItsPrefixWithThePinnedHosts() throws Exception {
        Path program = fakeBuildah();
        Buildah buildah = new Buildah(program.toString(), BuildahOptions.systemDefault(), new ProcessRunner());

        String id = buildah.bud(BudSpec.builder(dir).namespace(List.of("env")).pinnedHost("repo.example", "192.0.2.10")
                .build(), line -> { });

        assertThat(id).isEqualTo("feed");
        String args = Files.readString(dir.resolve("args.txt"));
        assertThat(args).contains(" bud ", "--pull=never", "--add-host repo.example:192.0.2.10");
        // `env` is the prefix here: the same namespace as this JVM (a real build's is `ip netns exec strata-<id>`).
        assertThat(Files.readString(dir.resolve("netns.txt")).strip()).isEqualTo(ownNetworkNamespace());
    }

    private static String ownNetworkNamespace() throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    }

    @Test
    void withoutANamespaceTheBuildGetsAnEmptyOneOfUnshare() throws Exception {
        Path program = fakeBuildah();
        Buildah buildah = new Buildah(program.toString(), BuildahOptions.systemDefault(), new ProcessRunner());

        buildah.bud(BudSpec.builder(dir).build(), line -> { });

        assertThat(Files.readString(dir.resolve("netns.txt")).strip()).startsWith("net:[").isNotEqualTo(ownNetworkNamespace());
        assertThat(Files.readString(dir.resolve("args.txt"))).doesNotContain("--add-host");
    }
}
