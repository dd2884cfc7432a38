package io.strata.cli.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.PackagedCli;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import io.strata.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strata's own image, built by Strata: a Debian bookworm root filesystem from mmdebstrap (with
 * buildah) as the base, a jlink'ed Java runtime and the packaged CLI on top, by {@code strata build}
 * from {@code deploy/Containerfile}; then {@code buildah run} shows {@code strata worker --help}
 * works inside. Minutes of work (mmdebstrap downloads buildah and its dependencies, the image is a
 * few hundred MB on vfs storage: about 9 minutes on 2 cores), so it is not one of the suite's
 * {@code *IT} classes (which would put it past the CI budget) but a check run by name:
 * {@code ./mvnw -pl strata-cli -am verify -Dit.test=StrataImageCheck -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Nothing in the suite is skipped for it.
 */
class StrataImageCheck {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    @Test
    void strataBuildsItsOwnImageAndStrataWorkerRunsInIt() throws Exception {
        Path dir = TempDirs.create("image-it");
        try (RegistryFixture registry = RegistryFixture.startWithoutAuth(); BuildahFixture buildah = BuildahFixture.create()) {
            Path rootfs = dir.resolve("rootfs.tar");
            run(List.of("mmdebstrap", "--variant=essential", "--include=buildah,iproute2,iptables,ca-certificates", "bookworm",
                    rootfs.toString()), dir);
            String container = buildah.buildah("from", "scratch").strip();
            buildah.buildah("add", container, rootfs.toString(), "/");
            buildah.buildah("commit", container, "localhost/debian-bookworm-buildah:latest");
            buildah.buildah("rm", container);
            buildah.buildah("push", "--tls-verify=false", "localhost/debian-bookworm-buildah:latest",
                    "docker://" + registry.reference("base/debian:bookworm"));
            Files.delete(rootfs);

            GitRepoFixture repo = GitRepoFixture.create(dir.resolve("context"));
            repo.write("Containerfile", Files.readString(DEPLOY.resolve("Containerfile")));
            repo.write("image/usr/local/bin/strata", Files.readString(DEPLOY.resolve("strata.sh")));
            Path opt = Files.createDirectories(dir.resolve("context/image/opt/strata"));
            Files.copy(Path.of("target/strata-cli.jar"), opt.resolve("strata-cli.jar"));
            Files.createDirectories(opt.resolve("lib"));
            try (var jars = Files.list(Path.of("target/lib"))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, opt.resolve("lib").resolve(jar.getFileName()));
                }
            }
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "jlink").toString(), "--add-modules",
                    "java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs", "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--output", opt.resolve("jre").toString()), dir);
            try (var git = org.eclipse.jgit.api.Git.open(dir.resolve("context").toFile())) {
                git.add().addFilepattern(".").call(); // the runtime and the jars, besides what repo.write staged
            }
            String commit = repo.commit("Strata's image");
            Path config = Files.writeString(dir.resolve("osbs.conf"), "[default]\nregistry_uri = http://" + registry.host()
                    + "/v2\nstrata_home = " + dir.resolve("strata") + "\nstrata_buildah_root = " + dir.resolve("buildah-strata")
                    + "\nstrata_build_network = none\n");

            TestCli.Run built = PackagedCli.run(ChildEnvironment.of(Files.createDirectories(dir.resolve("home"))), "build",
                    "--config", config.toString(), "--component", "strata", "--git-uri", repo.uri().toString(), "--git-ref", commit,
                    "--dockerfile", "Containerfile", "--build-arg", "BASE_IMAGE=" + registry.reference("base/debian:bookworm"),
                    "--label", "name=strata/strata", "--label", "version=1");

            assertThat(built.exit()).as(built.err()).isZero();
            String pullspec = built.out().strip();
            String image = buildah.buildah("from", "--tls-verify=false", "docker://" + pullspec).strip();
            String help = buildah.buildah("run", "--isolation", "chroot", image, "--", "/bin/sh", "/usr/local/bin/strata", "worker", "--help");
            assertThat(help).contains("Usage: strata worker", "--result-file");
            buildah.buildah("rm", image);
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process process = ChildEnvironment.of(dir).processBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
    }
}
