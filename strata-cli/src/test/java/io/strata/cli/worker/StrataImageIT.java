package io.strata.cli.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.DebianBaseImage;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import io.strata.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;

/**
 * Strata's own image, built by Strata: the Debian bookworm worker base (mmdebstrap, with buildah;
 * {@link DebianBaseImage#workerTarball()}) and a jlink'ed Java runtime in the base layer, the
 * packaged CLI over it, by {@code strata build} from {@code deploy/Containerfile}; then
 * {@code buildah run} shows {@code strata worker --help} and the image's buildah work inside.
 * What is the same on every run of a machine (the root file system, the runtime, the base as
 * buildah pushed it) is made once per machine; the phases' times are printed (docs/cluster.md has
 * the figures).
 */
class StrataImageIT {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final String BASE = "base/debian:bookworm";

    @Test
    void strataBuildsItsOwnImageAndStrataWorkerRunsInIt() throws Exception {
        Path dir = TempDirs.create("image-it");
        Phases phases = new Phases();
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth(); BuildahFixture buildah = BuildahFixture.create()) {
            Path rootfs = phases.time("mmdebstrap (cached per machine)", DebianBaseImage::workerTarball);
            Path runtime = phases.time("jlink (cached per machine)", () -> StrataRuntime.tarball(DEPLOY));
            phases.time("base push", () -> {
                StrataBase.push(buildah, registry, BASE, List.of(rootfs, runtime));
                return null;
            });

            String commit = phases.time("context", () -> context(dir.resolve("context")));
            Path config = Files.writeString(dir.resolve("osbs.conf"), "[default]\nregistry_uri = http://" + registry.host()
                    + "/v2\nstrata_home = " + dir.resolve("strata") + "\nstrata_buildah_root = " + dir.resolve("buildah-strata")
                    + "\nstrata_build_network = none\n");

            TestCli.Run built = phases.time("strata build", () -> PackagedCli.run(
                    ChildEnvironment.of(Files.createDirectories(dir.resolve("home"))), "build",
                    "--config", config.toString(), "--component", "strata", "--git-uri", dir.resolve("context").toUri().toString(), "--git-ref", commit,
                    "--dockerfile", "Containerfile", "--build-arg", "BASE_IMAGE=" + registry.reference(BASE),
                    "--label", "name=strata/strata", "--label", "version=1"));

            assertThat(built.exit()).as(built.err()).isZero();
            String pullspec = built.out().strip();
            String help = phases.time("buildah from and run", () -> {
                String image = buildah.buildah("from", "--tls-verify=false", "docker://" + pullspec).strip();
                return buildah.buildah("run", "--isolation", "chroot", image, "--", "/bin/sh", "-c",
                        "/bin/sh /usr/local/bin/strata worker --help && buildah --version");
            });
            assertThat(help).contains("Usage: strata worker", "--result-file", "buildah version");
        } finally {
            System.err.println(phases);
            TempDirs.deleteRecursively(dir);
        }
    }

    /**
     * The build's git repository, as a user's would be: the Containerfile, the launcher and the
     * packaged CLI (its jar and class path) under image/. Stored without zlib compression and
     * packed without delta search (the jars are compressed already): the checkout then moves the
     * bytes instead of deflating and searching 90 MB of jars again.
     */
    private static String context(Path directory) throws Exception {
        try (GitRepoFixture repo = GitRepoFixture.create(directory); Git git = Git.open(directory.toFile())) {
            StoredConfig config = git.getRepository().getConfig();
            config.setInt("core", null, "compression", 0);
            config.setBoolean("pack", null, "deltacompression", false);
            config.save();
            repo.write("Containerfile", Files.readString(DEPLOY.resolve("Containerfile")));
            repo.write("image/usr/local/bin/strata", Files.readString(DEPLOY.resolve("strata.sh")));
            Path opt = Files.createDirectories(directory.resolve("image/opt/strata/lib"));
            Files.copy(Path.of("target/strata-cli.jar"), opt.resolveSibling("strata-cli.jar"));
            try (var jars = Files.list(Path.of("target/lib"))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, opt.resolve(jar.getFileName()));
                }
            }
            git.add().addFilepattern("image").call();
            return repo.commit("Strata's image");
        }
    }

    interface Step<T> {
        T run() throws Exception;
    }

    static final class Phases {
        private final StringBuilder report = new StringBuilder("StrataImageIT phases:");

        <T> T time(String name, Step<T> step) throws Exception {
            long start = System.nanoTime();
            try {
                return step.run();
            } finally {
                report.append(String.format("%n  %-32s %6.1f s", name, (System.nanoTime() - start) / 1e9));
            }
        }

        @Override
        public String toString() {
            return report.toString();
        }
    }
}
