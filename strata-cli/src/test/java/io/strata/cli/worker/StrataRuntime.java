package io.strata.cli.worker;

import io.strata.testkit.MachineCache;
import io.strata.testkit.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java runtime of Strata's own image: {@code jlink} of the modules in {@code deploy/jre-modules}
 * from the JDK running the tests (bookworm's packages stop at Java 17), as a tarball holding
 * {@code opt/strata/jre/}, laid over the Debian base with it. Made once per machine and JDK
 * ({@link MachineCache}): jlink takes half a minute on a loaded machine and its output depends only
 * on the JDK and the module list.
 */
final class StrataRuntime {
    private StrataRuntime() {}

    static Path tarball(Path deploy) throws IOException {
        String modules = Files.readString(deploy.resolve("jre-modules")).strip();
        Path javaHome = Path.of(System.getProperty("java.home"));
        String key = MachineCache.key(List.of(javaHome.toString(), Runtime.version().toString(), modules));
        return MachineCache.file("strata-jre-" + key + ".tar", partial -> {
            Path tree = TempDirs.create("jre");
            try {
                Processes.run(List.of(javaHome.resolve("bin/jlink").toString(), "--add-modules", modules, "--strip-debug",
                        "--no-header-files", "--no-man-pages", "--output", tree.resolve("opt/strata/jre").toString()));
                Processes.run(List.of("tar", "-C", tree.toString(), "-cf", partial.toString(), "opt"));
            } finally {
                TempDirs.deleteRecursively(tree);
            }
        });
    }
}
