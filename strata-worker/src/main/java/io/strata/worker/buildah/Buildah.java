package io.strata.worker.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.core.build.RpmComponent;
import io.strata.worker.buildah.BuildahException.Failure;
import io.strata.worker.buildah.RegistryFailureClassifier.Cause;
import io.strata.worker.process.ProcessCommand;
import io.strata.worker.process.ProcessResult;
import io.strata.worker.process.ProcessRunner;
import io.strata.registry.RegistryException;
import io.strata.registry.RegistryRetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.Consumer;

/**
 * buildah, one method per operation, as a subprocess of this JVM. Every RUN step runs with
 * {@code --isolation chroot}: the OCI runtime needs cgroup setups that many build hosts (and
 * containers) lack, while chroot works wherever buildah does.
 *
 * <p>Credentials reach buildah only through the auth file in {@link BuildahOptions}, never on the
 * command line, so they cannot appear in output lines, process listings or exception messages.
 */
public final class Buildah {
    private static final String BUILDAH = "buildah";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** rpm databases live here (classic) or under /usr/lib/sysimage/rpm (Fedora 36 and later). */
    private static final List<String> RPM_DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");

    private final String program;
    private final BuildahOptions options;
    private final ProcessRunner runner;
    private final RegistryRetry retry;
    /**
     * Digest-pinned images this process saw in local storage (pulled, inspected or built on): a digest
     * names the bytes, so storage need not be asked again (one buildah process less per parent).
     * Someone may still remove one ({@code buildah rmi}); {@link #bud} then pulls it and builds again,
     * and says it was there before.
     */
    private final java.util.Set<String> pinnedInStorage;
    /** Where {@link #version()} is remembered across processes, if anywhere. */
    private final Optional<BuildahVersionMemo> versionMemo;
    /** {@link #version()} once asked; a race at most asks twice. */
    private volatile String version;

    public Buildah(BuildahOptions options) {
        this(options, new ProcessRunner());
    }

    public Buildah(BuildahOptions options, ProcessRunner runner) {
        this(BUILDAH, options, runner);
    }

    /** For tests of a machine without buildah: the program name to run instead. */
    Buildah(String program, BuildahOptions options, ProcessRunner runner) {
        this(program, options, runner, RegistryRetry.none());
    }

    private Buildah(String program, BuildahOptions options, ProcessRunner runner, RegistryRetry retry) {
        this(program, options, runner, retry, java.util.concurrent.ConcurrentHashMap.newKeySet(), Optional.empty());
    }

    private Buildah(String program, BuildahOptions options, ProcessRunner runner, RegistryRetry retry,
            java.util.Set<String> pinnedInStorage, Optional<BuildahVersionMemo> versionMemo) {
        this.program = program;
        this.options = options;
        this.runner = runner;
        this.retry = retry;
        this.pinnedInStorage = pinnedInStorage;
        this.versionMemo = versionMemo;
    }

    /** This buildah, trying pushes and pulls again while the registry fails in a passing way. */
    public Buildah withRegistryRetry(RegistryRetry registryRetry) {
        return new Buildah(program, options, runner, registryRetry, pinnedInStorage, versionMemo);
    }

    /**
     * This buildah, its {@link #version()} remembered in {@code file} for the binary it runs, so
     * that a later process need not ask (a process of its own) until that binary changes.
     */
    public Buildah withVersionMemo(Path file) {
        return new Buildah(program, options, runner, retry, pinnedInStorage, Optional.of(new BuildahVersionMemo(file)));
    }

    /**
     * Builds an image, streaming every output line to {@code lines} as buildah prints it.
     *
     * <p>Without {@link BudSpec#allowNetwork()} the build runs inside the network namespace of
     * {@link BudSpec#namespace()} (chroot isolation gives RUN steps buildah's own network), or,
     * without one, inside {@code unshare --net}: buildah refuses {@code --network none} together
     * with chroot isolation, so the whole build gets an empty network namespace instead. Base
     * images named by a tag are pulled before that, and the build itself uses {@code --pull=never}.
     * A digest-pinned base image is not looked for in storage first (a buildah process, 40-80 ms of
     * every first build of a process): the build is run, and when buildah says it does not know the
     * image, it is pulled and the build run again. So only a parent that is not there yet costs a
     * build that fails at its FROM.
     *
     * @return the image id
     */
    public String bud(BudSpec spec, Consumer<String> lines) throws BuildahException, RegistryException {
        List<String> pinned = new ArrayList<>();
        if (!spec.allowNetwork()) {
            for (String baseImage : spec.baseImages()) {
                if (ImageReferences.isPinned(baseImage)) {
                    pinned.add(baseImage);
                } else {
                    pullIfMissing(baseImage, spec.platform(), lines);
                }
            }
        }
        try {
            String imageId = budOnce(spec, lines);
            pinnedInStorage.addAll(pinned);
            return imageId;
        } catch (BuildahException e) {
            if (pinned.isEmpty() || !e.getMessage().contains(IMAGE_NOT_KNOWN)) {
                throw e;
            }
            boolean seenBefore = pinned.stream().anyMatch(pinnedInStorage::contains);
            pinnedInStorage.removeAll(pinned);
            // A parent not pulled yet, or one this process had seen in storage and that was removed since
            // (buildah rmi, a prune): pull, build again.
            lines.accept(seenBefore ? "a base image left local storage since an earlier build: pulling it again"
                    : "a base image is not in local storage yet: pulling it");
            for (String baseImage : pinned) {
                pullIfMissing(baseImage, spec.platform(), lines);
            }
            String imageId = budOnce(spec, lines);
            pinnedInStorage.addAll(pinned);
            return imageId;
        }
    }

    /**
     * Removes the working containers a failed or stopped {@code bud} of this build left. buildah
     * removes them itself with --force-rm, but not when the signal that stops it (a cancel ends the
     * whole process tree at once) arrives before its own cleanup ran: a loaded CI run saw a cancel
     * during a RUN step leave three of them. Best effort: the build's failure is what it reports.
     */
    private void removeLeftoverContainers(BudSpec spec, Consumer<String> lines) {
        if (spec.owner().isEmpty()) {
            return;
        }
        boolean cancelled = Thread.interrupted();
        try {
            int removed = new WorkingContainers(options, runner).removeOf(spec.owner().get());
            if (removed > 0) {
                lines.accept("removed " + removed + " working container(s) the stopped build left");
            }
        } catch (BuildahException e) {
            lines.accept("could not remove the working containers the stopped build left: " + e.getMessage());
        } finally {
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Where this buildah keeps its images, when Strata can read its layers directly (overlay or vfs,
     * named by the options or, run as root, by containers-storage's configuration, as buildah finds it).
     */
    public Optional<StorageLocation> storage() {
        return StorageLocation.of(options);
    }

    /** What buildah says when a FROM image is not in storage and it may not pull. */
    private static final String IMAGE_NOT_KNOWN = "image not known";

    /** Pulls {@code image} unless it is digest-pinned and in storage (what the registry would send again). */
    private void pullIfMissing(String image, Optional<String> platform, Consumer<String> lines)
            throws BuildahException, RegistryException {
        boolean pinned = ImageReferences.isPinned(image);
        if (!(pinned && hasImage(image))) {
            pull(image, platform, lines);
        }
        if (pinned) {
            pinnedInStorage.add(image);
        }
    }

    private String budOnce(BudSpec spec, Consumer<String> lines) throws BuildahException {
        // --force-rm: a failed or stopped build removes its working container too (buildah keeps it by default).
        List<String> arguments = new ArrayList<>(List.of("bud", "--isolation", "chroot", "--layers=" + spec.layers(),
                "--force-rm"));
        if (!spec.allowNetwork()) {
            arguments.add("--pull=never");
        }
        spec.owner().ifPresent(owner -> arguments.addAll(List.of("--cgroup-parent", WorkingContainers.mark(owner))));
        arguments.addAll(options.registryArguments());
        spec.platform().ifPresent(platform -> arguments.addAll(List.of("--platform", platform)));
        spec.timestamp().ifPresent(seconds -> arguments.addAll(List.of("--timestamp", Long.toString(seconds))));
        arguments.addAll(List.of("--file", spec.dockerfile().toString()));
        spec.tags().forEach(tag -> arguments.addAll(List.of("--tag", tag)));
        spec.buildArgs().forEach((name, value) -> arguments.addAll(List.of("--build-arg", name + "=" + value)));
        spec.volumes().forEach(volume -> arguments.addAll(List.of("--volume", volume)));
        spec.pinnedHosts().forEach((name, address) -> arguments.addAll(List.of("--add-host", name + ":" + address)));
        List<String> prefix = spec.allowNetwork() ? List.of()
                : spec.namespace().isEmpty() ? List.of("unshare", "--net") : spec.namespace();
        return withTemporaryFile(sideFilesDir(spec), "iid", idFile -> {
            List<String> all = new ArrayList<>(arguments);
            all.addAll(List.of("--iidfile", idFile.toString(), spec.contextDir().toString()));
            ProcessResult result;
            try {
                result = run(prefix, all, lines, lines, "build " + spec.dockerfile());
            } catch (BuildahException stopped) {
                removeLeftoverContainers(spec, lines);
                throw stopped;
            }
            if (!result.succeeded()) {
                removeLeftoverContainers(spec, lines);
                if (!spec.allowNetwork() && spec.namespace().isEmpty() && result.tailText().contains("unshare failed")) {
                    // Not the Dockerfile's fault: this user may not create a network namespace.
                    throw new BuildahException(Failure.BUILD_FAILED, "cannot build without network: creating an empty"
                            + " network namespace (unshare --net) was refused for this user",
                            "run Strata as root, or let RUN steps use the network with a customize document that sets"
                                    + " buildah_build's network argument to true");
                }
                throw new BuildahException(Failure.BUILD_FAILED, "building " + spec.dockerfile() + " failed (buildah exit "
                        + result.exitCode() + "); last output:\n" + result.tailText(),
                        "fix the failing Dockerfile instruction shown in the output, then build again");
            }
            // buildah writes "sha256:<hex>"; the hex alone is the image id everywhere else (inspect, rmi).
            return Files.readString(idFile).strip().replaceFirst("^sha256:", "");
        });
    }

    /** Whether local storage holds {@code image}; asks storage only, never a registry. */
    private boolean hasImage(String image) throws BuildahException {
        return run(List.of(), List.of("inspect", "--type", "image", "--format", "{{.FromImageID}}", image),
                line -> { }, line -> { }, "inspect " + image).succeeded();
    }

    /**
     * Pulls {@code image} for {@code platform} into local storage, unless it is pinned by digest and
     * already there (what the registry would send again).
     */
    public void pullIfMissing(String image, String platform, Consumer<String> lines)
            throws BuildahException, RegistryException {
        pullIfMissing(image, Optional.of(platform), lines);
    }

    private void pull(String image, Optional<String> platform, Consumer<String> lines) throws BuildahException, RegistryException {
        withRetry(image, "pulling " + image, () -> pullOnce(image, platform, lines), lines);
    }

    private Void pullOnce(String image, Optional<String> platform, Consumer<String> lines) throws BuildahException {
        List<String> arguments = new ArrayList<>(List.of("pull"));
        arguments.addAll(options.registryArguments());
        platform.ifPresent(name -> arguments.addAll(List.of("--platform", name)));
        arguments.add(image);
        ProcessResult result = run(List.of(), arguments, lines, lines, "pull " + image);
        if (!result.succeeded()) {
            var classified = RegistryFailureClassifier.classified(result.tailText());
            if (classified.isPresent() && classified.get().cause() == Cause.PASSING) {
                throw passing(image, "pull base image", classified.get().words());
            }
            if (classified.isPresent() && classified.get().cause() == Cause.UNREACHABLE) {
                throw unreachable(image, "pull base image", result);
            }
            throw new BuildahException(Failure.BUILD_FAILED, "cannot pull base image " + image + "; last output:\n"
                    + result.tailText(), "check the FROM image name, that it exists, and the auth file's entry for "
                    + ImageReferences.registryHost(image));
        }
        return null;
    }

    /**
     * Runs a registry operation under the retry policy. A cancel while waiting is a cancel: the
     * interrupt stays set and the failure says so.
     */
    private <T> T withRetry(String reference, String action, RegistryRetry.Attempt<T, BuildahException> attempt,
            Consumer<String> lines) throws BuildahException, RegistryException {
        try {
            return retry.call(ImageReferences.registryHost(reference), action, attempt, lines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildahException(Failure.CANCELLED, "cancelled while " + action, "", e);
        }
    }

    /** Pushes without reporting progress. */
    public String push(String image, String destination) throws BuildahException, RegistryException {
        return push(image, destination, line -> { });
    }

    /**
     * Pushes a local image to {@code destination} ("registry/repository:tag").
     *
     * Failures that may pass (the registry restarting, 5xx, 429) are tried again under the retry
     * policy; when it runs out the failure is one sentence naming the registry and the last error.
     *
     * @return the digest of the manifest as the registry stored it ("sha256:...")
     */
    public String push(String image, String destination, Consumer<String> lines) throws BuildahException, RegistryException {
        return withRetry(destination, "pushing " + destination, () -> pushOnce(image, destination, lines), lines);
    }

    private String pushOnce(String image, String destination, Consumer<String> lines) throws BuildahException {
        return withTemporaryFile(Optional.empty(), "digest", digestFile -> {
            List<String> arguments = new ArrayList<>(List.of("push"));
            arguments.addAll(options.registryArguments());
            arguments.addAll(List.of("--digestfile", digestFile.toString(), image, "docker://" + destination));
            ProcessResult result = run(List.of(), arguments, lines, lines, "push " + destination);
            if (!result.succeeded()) {
                throw pushFailure(destination, result);
            }
            return Files.readString(digestFile).strip();
        });
    }

    private BuildahException pushFailure(String destination, ProcessResult result) {
        String registry = ImageReferences.registryHost(destination);
        var classified = RegistryFailureClassifier.classified(result.tailText());
        return switch (classified.map(RegistryFailureClassifier.Classified::cause).orElse(null)) {
            case AUTHENTICATION -> new BuildahException(Failure.PUSH_AUTH_FAILED,
                    "registry " + registry + " refused the credentials for pushing " + destination,
                    options.authFile() == null
                            ? "log in to " + registry + " (buildah login) or pass an auth file"
                            : "check the entry for " + registry + " in the auth file " + options.authFile());
            case UNREACHABLE -> unreachable(destination, "push", result);
            case PASSING -> passing(destination, "push", classified.get().words());
            case null -> new BuildahException(Failure.PUSH_FAILED, "pushing " + destination + " failed (buildah exit "
                    + result.exitCode() + "); last output:\n" + result.tailText(),
                    "check the registry's logs and that the repository name is allowed there");
        };
    }

    /** One sentence, not buildah's screenful: the registry, what was done, the cause in a few words. */
    private static BuildahException passing(String reference, String action, String words) {
        String registry = ImageReferences.registryHost(reference);
        String what = words.startsWith("HTTP") ? "registry " + registry + " answered " + words + " to " + action + " " + reference
                : "cannot reach registry " + registry + " to " + action + " " + reference + ": " + words;
        return new BuildahException(Failure.REGISTRY_UNREACHABLE, what,
                "check that the registry " + registry + " is running and healthy", words);
    }

    private static BuildahException unreachable(String reference, String action, ProcessResult result) {
        String registry = ImageReferences.registryHost(reference);
        return new BuildahException(Failure.REGISTRY_UNREACHABLE, "cannot reach registry " + registry + " to "
                + action + " " + reference + ": " + lastLine(result),
                "check that " + registry + " is the right host:port, that the registry is running, and the network");
    }

    /** What {@code buildah inspect} knows about an image in local storage. */
    public ImageInspection inspect(String image) throws BuildahException {
        JsonNode json = parseJson(output("inspect " + image, "inspect", "--type", "image", image), "inspect " + image);
        JsonNode oci = json.path("OCIv1");
        Map<String, String> labels = new LinkedHashMap<>();
        oci.path("config").path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> env = new ArrayList<>();
        oci.path("config").path("Env").forEach(value -> env.add(value.asText()));
        String imageId = json.path("FromImageID").asText();
        return new ImageInspection(imageId, "sha256:" + imageId, json.path("FromImageDigest").asText(),
                labels, env, oci.path("os").asText(), oci.path("architecture").asText());
    }

    /**
     * The rpm packages installed in an image, or an empty list when the image has no rpm binary or
     * database (busybox, distroless, scratch images): that is not an error. The working container
     * this needs is always removed.
     */
    public List<RpmComponent> listRpms(String image) throws BuildahException {
        return listRpms(image, Optional.empty());
    }

    /**
     * As {@link #listRpms(String)}, for build {@code ownerBuildId}: its working container carries the
     * build's mark ({@link WorkingContainers#mark}), so the reconcile of a build whose process was
     * killed while the rpms were listed finds and removes it.
     */
    public List<RpmComponent> listRpms(String image, String ownerBuildId) throws BuildahException {
        return listRpms(image, Optional.of(ownerBuildId));
    }

    /**
     * The rpm and dpkg packages of an image and its os-release ID, from one working container that
     * carries build {@code ownerBuildId}'s mark: dpkg's database and os-release are read as files of
     * the mounted root, rpm's through rpm itself.
     */
    public ImagePackages packages(String image, String ownerBuildId) throws BuildahException {
        return inWorkingContainer(image, Optional.of(ownerBuildId), (container, rootfs) -> new ImagePackages(
                rpmsIn(image, container, rootfs), readIfRegular(rootfs.resolve("var/lib/dpkg/status")),
                osReleaseId(rootfs)));
    }

    private static Optional<String> osReleaseId(Path rootfs) throws BuildahException {
        for (String candidate : List.of("etc/os-release", "usr/lib/os-release")) {
            Optional<String> text = readIfRegular(rootfs.resolve(candidate));
            if (text.isPresent()) {
                return text.get().lines().filter(line -> line.startsWith("ID="))
                        .map(line -> line.substring(3).strip().replace("\"", "").replace("'", "")).findFirst();
            }
        }
        return Optional.empty();
    }

    /** A file of an image's root, never following a link out of it (a link is read as absent). */
    private static Optional<String> readIfRegular(Path file) throws BuildahException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BuildahException(Failure.BUILDAH_FAILED, "cannot read " + file + " of the mounted image: "
                    + e.getMessage(), "check the image's file permissions");
        }
    }

    private List<RpmComponent> listRpms(String image, Optional<String> owner) throws BuildahException {
        return inWorkingContainer(image, owner, (container, rootfs) -> rpmsIn(image, container, rootfs));
    }

    private List<RpmComponent> rpmsIn(String image, String container, Path rootfs) throws BuildahException {
        if (!hasRpm(rootfs)) {
            return List.of();
        }
        List<String> rpmOutput = new ArrayList<>();
        List<String> arguments = List.of("run", "--isolation", "chroot", container, "--",
                "rpm", "-qa", "--qf", RpmQuery.QUERY_FORMAT);
        ProcessResult result = run(List.of(), arguments, rpmOutput::add, line -> { }, "list rpms in " + image);
        if (!result.succeeded()) {
            throw new BuildahException(Failure.BUILDAH_FAILED, "rpm -qa failed in " + image + ": "
                    + result.tailText(), "check that the image's rpm database is readable");
        }
        return RpmQuery.parse(rpmOutput);
    }

    /**
     * Runs {@code command} in a working container of {@code image} (no network) and returns what it
     * printed; used to show what a built image does.
     */
    public List<String> runInImage(String image, List<String> command) throws BuildahException {
        return inWorkingContainer(image, Optional.empty(), (container, rootfs) -> {
            List<String> printed = new ArrayList<>();
            List<String> arguments = new ArrayList<>(List.of("run", "--isolation", "chroot", "--network", "host", container, "--"));
            arguments.addAll(command);
            ProcessResult result = run(List.of("unshare", "--net"), arguments, printed::add, printed::add,
                    "run " + String.join(" ", command) + " in " + image);
            if (!result.succeeded()) {
                throw new BuildahException(Failure.BUILDAH_FAILED, String.join(" ", command) + " failed in " + image
                        + " (exit " + result.exitCode() + "): " + result.tailText(), "run the image by hand to see why");
            }
            return List.copyOf(printed);
        });
    }

    interface ContainerWork<T> {
        T run(String container, Path rootfs) throws BuildahException;
    }

    /**
     * A working container of {@code image}, mounted, for {@code work}; always removed afterwards,
     * also when the work was cancelled, even half-way through creating it: the container has a name
     * of our choosing, and the interrupt is held back while buildah removes it.
     */
    <T> T inWorkingContainer(String image, Optional<String> owner, ContainerWork<T> work) throws BuildahException {
        String container = "strata-work-" + java.util.UUID.randomUUID();
        try {
            List<String> from = new ArrayList<>(List.of("from", "--pull=never", "--name", container));
            // The cgroup parent is ignored with chroot isolation; buildah keeps it in the container's state,
            // which is how WorkingContainers tells the containers of a killed build from everyone else's.
            owner.ifPresent(id -> from.addAll(List.of("--cgroup-parent", WorkingContainers.mark(id))));
            from.add(image);
            output("create a container from " + image, from.toArray(String[]::new));
            Path rootfs = Path.of(lastLine(output("mount " + container, "mount", container)));
            return work.run(container, rootfs);
        } finally {
            boolean cancelled = Thread.interrupted();
            try {
                removeIfPresent(container);
            } finally {
                if (cancelled) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Removes a working container; one that a cancelled {@code buildah from} never created is fine. */
    private void removeIfPresent(String container) throws BuildahException {
        boolean exists = run(List.of(), List.of("inspect", "--type", "container", "--format", "{{.ContainerID}}", container),
                line -> { }, line -> { }, "inspect " + container).succeeded();
        if (exists) {
            output("remove working container " + container, "rm", container);
        }
    }

    private static boolean hasRpm(Path rootfs) {
        boolean binary = Files.exists(rootfs.resolve("usr/bin/rpm"), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(rootfs.resolve("bin/rpm"), LinkOption.NOFOLLOW_LINKS);
        boolean database = RPM_DATABASES.stream()
                .anyMatch(dir -> Files.isDirectory(rootfs.resolve(dir), LinkOption.NOFOLLOW_LINKS));
        return binary && database;
    }

    /** Removes an image from local storage. */
    public void rmi(String image) throws BuildahException {
        output("remove image " + image, "rmi", image);
    }

    /**
     * buildah's version, e.g. "1.28.2". Asked once per instance: opening the local engine needs it twice
     * (the worker's build environment and build avoidance's content key), each a buildah process.
     */
    public String version() throws BuildahException {
        String known = version;
        if (known == null) {
            Optional<Path> binary = versionMemo.isPresent() ? runner.locate(program) : Optional.empty();
            Optional<String> remembered = binary.flatMap(file -> versionMemo.get().recall(file));
            if (remembered.isPresent()) {
                known = remembered.get();
            } else {
                known = parseJson(output("print its version", "version", "--json"), "version").path("version").asText();
                String asked = known;
                binary.ifPresent(file -> versionMemo.get().remember(file, asked));
            }
            version = known;
        }
        return known;
    }

    private String output(String what, String... arguments) throws BuildahException {
        StringBuilder stdout = new StringBuilder();
        ProcessResult result = run(List.of(), List.of(arguments), line -> stdout.append(line).append('\n'),
                line -> { }, what);
        if (!result.succeeded()) {
            throw new BuildahException(Failure.BUILDAH_FAILED, "buildah could not " + what + ": " + result.tailText(),
                    "see buildah's message above");
        }
        return stdout.toString();
    }

    private ProcessResult run(List<String> prefix, List<String> arguments, Consumer<String> stdout,
            Consumer<String> stderr, String what) throws BuildahException {
        List<String> command = new ArrayList<>(prefix);
        command.add(program);
        command.addAll(options.globalArguments());
        command.addAll(arguments);
        try {
            return runner.run(ProcessCommand.of(command), stdout, stderr);
        } catch (IOException e) {
            throw new BuildahException(Failure.BUILDAH_MISSING, "cannot " + what + ": " + e.getMessage(),
                    "install buildah (apt-get install buildah) and make sure it is on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildahException(Failure.CANCELLED, "cancelled: " + what + " (buildah was stopped)", "", e);
        }
    }

    private static JsonNode parseJson(String text, String what) throws BuildahException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new BuildahException(Failure.BUILDAH_FAILED, "buildah " + what + " printed no JSON: " + text,
                    "check that buildah is version 1.23 or newer", e);
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().strip();
    }

    private static String lastLine(ProcessResult result) {
        return result.tail().isEmpty() ? "" : result.tail().getLast();
    }

    private interface FileAction<T> {
        T apply(Path file) throws BuildahException, IOException;
    }

    /**
     * Where a build's image-id file goes: beside its Dockerfile when that is outside the context (a build's edited
     * {@code Dockerfile.strata} in its workspace), so that a process killed mid-build leaves it in the workspace, which
     * goes with the build, not in the temporary directory, where such files piled up. Never into the context: buildah
     * would not read it there, but a later step could. Otherwise the temporary directory.
     */
    static Optional<Path> sideFilesDir(BudSpec spec) {
        Path dockerfile = spec.dockerfile().toAbsolutePath().normalize();
        Path context = spec.contextDir().toAbsolutePath().normalize();
        return dockerfile.startsWith(context) ? Optional.empty() : Optional.ofNullable(dockerfile.getParent());
    }

    /** buildah reports ids and digests through files; each call gets its own (in {@code dir}, else the temporary directory), removed afterwards. */
    private static <T> T withTemporaryFile(Optional<Path> dir, String purpose, FileAction<T> action) throws BuildahException {
        Path file = null;
        try {
            String prefix = "strata-buildah-" + purpose + "-";
            file = dir.isPresent() ? Files.createTempFile(dir.get(), prefix, ".txt") : Files.createTempFile(prefix, ".txt");
            return action.apply(file);
        } catch (IOException e) {
            throw new BuildahException(Failure.BUILDAH_FAILED, "cannot use the " + purpose + " file " + file + ": "
                    + e.getMessage(), "check free space and permissions of "
                    + dir.map(Path::toString).orElse(System.getProperty("java.io.tmpdir")), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a stray empty file in the temp directory is harmless
                }
            }
        }
    }
}
