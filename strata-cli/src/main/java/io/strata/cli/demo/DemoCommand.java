package io.strata.cli.demo;

import io.strata.cli.StrataEnvironment;
import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.WorkerBuild;
import io.strata.registry.Platform;
import io.strata.core.config.ConfigLoader;
import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import io.strata.cli.build.LocalBuilds;
import io.strata.worker.buildah.Buildah;
import io.strata.core.service.BuildSubmission;
import io.strata.local.worker.LocalBuildService;
import io.strata.local.worker.LocalServices;
import io.strata.local.worker.SubmittedBuild;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code strata demo}: Strata's main job on its embedded defaults. Starts a throwaway registry on a
 * free loopback port (unless osbs.conf names one), makes a busybox base image in it, puts the
 * bundled example into a fresh git repository and runs a real build of it, then shows the result.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a real build on the embedded defaults: throwaway registry, busybox base image, example repository.")
public final class DemoCommand implements Callable<Integer> {
    static final String BASE_REPOSITORY = "strata-demo/busybox:latest";
    /** What the bundled example installs (examples/hello-strata/Dockerfile). */
    static final String EXAMPLE_PROGRAM = "/usr/local/bin/hello";

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--keep-registry", description = "Leave the throwaway registry running after the demo so you can pull from it.")
    boolean keepRegistry;

    @Option(names = "--follow", description = "Show every log line of the build.")
    boolean follow;

    @Option(names = "--platforms", paramLabel = "PLATFORM", split = ",",
            description = "Build for these platforms (e.g. x86_64,aarch64): one worker build each, foreign ones under"
                    + " QEMU emulation, joined into one image index (default: this machine's).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--example", paramLabel = "DIR", description = "The example repository to build (default: examples/hello-strata next to the launcher).")
    Path example;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration base = configOptions.load(err).config();
        Path exampleDir = exampleDirectory();
        Path demoHome = base.strata().home().resolve("demo");
        Files.createDirectories(demoHome);

        RegistryFixture registry = null;
        try (BuildahFixture baseImageMaker = BuildahFixture.create()) {
            String registryUri;
            if (base.registryUri().isPresent()) {
                registryUri = base.registryUri().get();
                err.println("demo: using the configured registry " + registryUri);
            } else {
                err.println("demo: starting a throwaway registry on a free loopback port ...");
                registry = RegistryFixture.startWithoutAuth();
                registryUri = "http://" + registry.host() + "/v2";
                err.println("demo: registry at " + registry.host());
            }
            String baseImage = registry == null
                    ? base.raw("strata_demo_base_image").orElseThrow(() -> new StrataException("DEMO_BASE_IMAGE_MISSING",
                            "a registry is configured but no base image for the demo",
                            "set strata_demo_base_image = REGISTRY/REPO:TAG (any image with /bin/sh), or remove registry_uri to use a throwaway registry"))
                    : makeBaseImage(baseImageMaker, registry, err);

            Path repoDir = Files.createTempDirectory(demoHome, "repo-");
            try (GitRepoFixture repo = GitRepoFixture.create(repoDir)) {
                copyExample(exampleDir, repo);
                String commit = repo.commit("hello-strata example");
                err.println("demo: example repository " + repo.uri() + " at " + commit.substring(0, 12));

                Configuration config = ConfigLoader.load(configOptions.source()
                        .withOverride("registry_uri", registryUri)
                        .withOverride("strata_buildah_root", demoHome.resolve("buildah").toString())).config();
                var prepared = LocalBuildService.prepare(BuildSubmission.of(BuildRequest.builder()
                        .component("hello-strata").gitUri(repo.uri().toString()).gitRef(commit).gitBranch("main")
                        .target("demo").buildArgs(Map.of("BASE_IMAGE", baseImage)).user("demo").platforms(platforms)
                        .build()), config);
                RegistryFixture shown = registry;
                return LocalBuilds.cancellable(() -> {
                    try (LocalServices services = LocalServices.open(config, LocalBuilds.buildahOptions(config), System.err)) {
                        SubmittedBuild submitted = services.builds().submit(prepared.request(), config, prepared.plan());
                        BuildRecord done = services.builds().run(submitted, LocalBuilds.progress(err, follow));
                        if (done.state() != BuildState.COMPLETE) {
                            return LocalBuilds.report(done, false, out, err);
                        }
                        explain(done, shown, out);
                        showItRunning(new Buildah(LocalBuilds.buildahOptions(config)), done, out);
                        return 0;
                    }
                });
            }
        } finally {
            if (registry != null && !keepRegistry) {
                registry.close();
            }
        }
    }

    private String makeBaseImage(BuildahFixture maker, RegistryFixture registry, PrintWriter err) {
        String digest;
        if (platforms.size() > 1) {
            // One busybox per platform, from Debian's packages (downloaded once, then cached).
            List<String> arches = platforms.stream().map(p -> Platform.fromKojiArch(p).architecture()).toList();
            err.println("demo: making a busybox base image index for " + String.join(", ", arches) + " ...");
            digest = maker.makeMultiPlatformBusyboxImage(BASE_REPOSITORY, registry, arches);
        } else {
            err.println("demo: making a busybox base image (no internet needed) ...");
            digest = maker.makeBusyboxBaseImage(BASE_REPOSITORY, registry);
        }
        err.println("demo: base image " + registry.reference(BASE_REPOSITORY) + " @ " + digest);
        return registry.reference(BASE_REPOSITORY);
    }

    private void explain(BuildRecord done, RegistryFixture registry, PrintWriter out) {
        ImageOutput image = done.outputs().get(0);
        out.println();
        out.println("Built " + image.pullspec());
        if (done.isOrchestrator()) {
            out.println("  an image index of " + done.workers().size() + " platforms, one worker build each:");
            for (WorkerBuild worker : done.workers()) {
                out.println("    " + worker.platform() + "  " + worker.outputs().getFirst().pullspec() + "  (build " + worker.id() + ")");
            }
        }
        out.println("  tags:   " + String.join(", ", image.tags()));
        out.println("  labels: name=" + image.labels().get("name") + " version=" + image.labels().get("version")
                + " release=" + image.labels().get("release") + " vcs-ref=" + image.labels().get("vcs-ref"));
        out.println("  size:   " + image.sizeBytes() + " bytes in " + image.layerDigests().size() + " layers");
        out.println();
        out.println("Look at it:");
        out.println("  ./strata get-build " + done.id() + "        # the record: steps, timings, outputs, Koji metadata");
        out.println("  ./strata build-logs " + done.id() + "       # the build log" + (done.isOrchestrator()
                ? " (every platform's; --platform P for one)" : ""));
        if (registry == null || keepRegistry) {
            out.println("  skopeo inspect --tls-verify=false docker://" + image.pullspec());
        }
        if (registry != null && keepRegistry) {
            out.println("The registry keeps running at " + registry.host() + " (pid " + registry.pid() + "); stop it with: kill " + registry.pid());
        } else if (registry != null) {
            out.println("The throwaway registry stops now; run `./strata demo --keep-registry` to keep it and pull the image.");
        }
        out.flush();
    }

    /** Runs the example's program in the image just built: the proof that it works, not only that it was pushed. */
    private static void showItRunning(Buildah buildah, BuildRecord done, PrintWriter out) throws StrataException {
        out.println();
        out.println("Running it (buildah run, no network" + (done.isOrchestrator() ? "; foreign platforms under QEMU" : "") + "):");
        if (!done.isOrchestrator()) {
            for (String line : buildah.runInImage("localhost/strata-build:" + done.id().value(), List.of(EXAMPLE_PROGRAM))) {
                out.println("  " + line);
            }
        }
        for (WorkerBuild worker : done.workers()) {
            for (String line : buildah.runInImage("localhost/strata-build:" + worker.id().value(),
                    List.of("/bin/sh", "-c", EXAMPLE_PROGRAM + "; echo \"(uname -m: $(uname -m))\""))) {
                out.println("  [" + worker.platform() + "] " + line);
            }
        }
        out.flush();
    }

    private Path exampleDirectory() throws StrataException {
        Path dir = example;
        if (dir == null) {
            Path root = StrataEnvironment.of(spec).variable("STRATA_LAUNCHER")
                    .map(launcher -> Path.of(launcher).toAbsolutePath().getParent()).orElse(Path.of(""));
            dir = root.resolve("examples/hello-strata");
        }
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new StrataException("DEMO_EXAMPLE_MISSING", "no example repository at " + dir.toAbsolutePath(),
                    "run the demo from the Strata checkout (./strata demo), or pass --example DIR with a Dockerfile in it");
        }
        return dir;
    }

    private static void copyExample(Path from, GitRepoFixture repo) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                repo.write(from.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
    }
}
